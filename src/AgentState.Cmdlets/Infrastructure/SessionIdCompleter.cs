using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AgentState.Trajectories;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>Tab completion of -SessionId from the trajectories under the -Root typed, else $env:AGENTSTATE_TRAJECTORIES, else ./.agentstate/trajectories.</summary>
    public sealed class SessionIdCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                string? root = CompletionRoot.Find(fakeBoundParameters, TrajectoryFiles.DefaultRoot);
                if (root == null || !Directory.Exists(root))
                {
                    return Enumerable.Empty<CompletionResult>();
                }

                string prefix = CompletionRoot.Prefix(wordToComplete);
                return TrajectoryFiles.All(root)
                    .Select(TrajectoryFiles.SessionIdOf)
                    .Where(id => id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    .Distinct(StringComparer.Ordinal)
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
