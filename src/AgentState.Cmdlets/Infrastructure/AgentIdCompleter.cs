using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AgentState.Agents;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>Tab completion of -AgentId from the store's state files: the -Root typed, else $env:AGENTSTATE_ROOT, else ./agent-deployment.</summary>
    public sealed class AgentIdCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionRoot.Offer(fakeBoundParameters, AgentStateStore.DefaultRoot, wordToComplete, root =>
            {
                string folder = Path.Combine(root, AgentStateStore.StateFolderName);
                return Directory.Exists(folder)
                    ? Directory.EnumerateFiles(folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f))
                    : Enumerable.Empty<string>();
            });
    }
}
