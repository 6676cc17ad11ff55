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
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                string? root = CompletionRoot.Find(fakeBoundParameters, RunStore.DefaultRoot);
                if (root == null || !Directory.Exists(root))
                {
                    return Enumerable.Empty<CompletionResult>();
                }

                string prefix = CompletionRoot.Prefix(wordToComplete);
                return Directory.EnumerateDirectories(root)
                    .Select(Path.GetFileName)
                    .Where(id => id != null && FileNameRules.FindViolation(id) == null && id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    .Select(id => id!)
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
