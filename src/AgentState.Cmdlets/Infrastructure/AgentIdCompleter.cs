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
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                string? root = CompletionRoot.Find(fakeBoundParameters, AgentStateStore.DefaultRoot);
                string? folder = root == null ? null : Path.Combine(root, AgentStateStore.StateFolderName);
                if (folder == null || !Directory.Exists(folder))
                {
                    return Enumerable.Empty<CompletionResult>();
                }

                string prefix = CompletionRoot.Prefix(wordToComplete);
                return Directory.EnumerateFiles(folder, "*.json")
                    .Select(f => Path.GetFileNameWithoutExtension(f))
                    .Where(id => id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    .OrderBy(id => id, StringComparer.OrdinalIgnoreCase)
                    .Take(500)
                    .Select(id => new CompletionResult(id, id, CompletionResultType.ParameterValue, id))
                    .ToList();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is InvalidOperationException || ex is RuntimeException)
            {
                return Enumerable.Empty<CompletionResult>(); // Completion offers what it can; it never fails the prompt.
            }
        }
    }
}
