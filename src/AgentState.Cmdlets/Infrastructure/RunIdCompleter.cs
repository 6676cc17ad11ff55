using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AgentState.IO;
using AgentState.Runs;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>Tab completion of -RunId from the run folders under the -Root typed, else $env:AGENTSTATE_RUNS, else ./.agentstate/runs.</summary>
    public sealed class RunIdCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionRoot.Offer(fakeBoundParameters, RunStore.DefaultRoot, wordToComplete, root => Directory.EnumerateDirectories(root)
                .Select(folder => Path.GetFileName(folder))
                .Where(id => FileNameRules.FindViolation(id) == null));
    }
}
