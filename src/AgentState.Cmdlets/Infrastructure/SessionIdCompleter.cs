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
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionRoot.Offer(fakeBoundParameters, TrajectoryFiles.DefaultRoot, wordToComplete, root => TrajectoryFiles.All(root).Select(TrajectoryFiles.SessionIdOf));
    }
}
