using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AgentState.Commands.Infrastructure;
using AgentState.Trajectories;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets one summary per trajectory: session, agent, status, step count, last step, final metrics, torn bytes, and whether the index was stale.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "Trajectory", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(TrajectorySummary))]
    public sealed class GetTrajectoryCommand : PSCmdlet
    {
        private const string SessionSet = "SessionId";
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>Sessions to list; wildcards allowed. All by default.</summary>
        [Parameter(Position = 0, ParameterSetName = SessionSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(SessionIdCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? SessionId { get; set; }

        /// <summary>The trajectories' root: $env:AGENTSTATE_TRAJECTORIES, else ./.agentstate/trajectories.</summary>
        [Parameter(ParameterSetName = SessionSet)]
        public string? Root { get; set; }

        /// <summary>Trajectory files (.atif.jsonl, or legacy .json documents); wildcards allowed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = new string[0];

        /// <summary>Trajectory files, exactly as typed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = new string[0];

        /// <summary>Only trajectories with one of these statuses.</summary>
        [Parameter]
        public TrajectoryStatus[]? Status { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ParameterSetName == SessionSet)
            {
                EmitSessions();
                return;
            }

            bool literal = ParameterSetName == LiteralPathSet;
            var resolver = new ProviderPathResolver(this);
            foreach (string path in literal ? LiteralPath : Path)
            {
                foreach (string file in resolver.Resolve(path, literal))
                {
                    Emit(file);
                }
            }
        }

        private void EmitSessions()
        {
            string? root = TrajectoryTargets.RootOf(this, Root);
            if (root == null)
            {
                return;
            }

            List<string> files;
            try
            {
                files = TrajectoryFiles.All(root).ToList();
            }
            catch (Exception ex) when (EngineErrors.For(ex, root) is ErrorRecord error)
            {
                WriteError(error);
                return;
            }

            // A wildcard that matches nothing is silent, like Get-ChildItem; a plain id that matches nothing is an error.
            WildcardPattern[]? patterns = SessionId?.Select(s => new WildcardPattern(s, WildcardOptions.IgnoreCase)).ToArray();
            foreach (string file in files.Where(f => patterns == null || patterns.Any(p => p.IsMatch(TrajectoryFiles.SessionIdOf(f)))))
            {
                Emit(file);
            }

            foreach (string id in SessionId ?? new string[0])
            {
                if (!WildcardPattern.ContainsWildcardCharacters(id) && !files.Any(f => string.Equals(TrajectoryFiles.SessionIdOf(f), id, StringComparison.OrdinalIgnoreCase)))
                {
                    WriteError(EngineErrors.For(new TrajectoryNotFoundException($"no session '{id}' under '{root}'", null), id));
                }
            }
        }

        private void Emit(string file)
        {
            try
            {
                TrajectorySummary summary = TrajectorySummary.Inspect(file);
                if (Status == null || Status.Contains(summary.Status))
                {
                    WriteObject(OutputObjects.Summary(summary));
                }
            }
            catch (Exception ex) when (EngineErrors.For(ex, file) is ErrorRecord error)
            {
                WriteError(error);
            }
        }
    }
}
