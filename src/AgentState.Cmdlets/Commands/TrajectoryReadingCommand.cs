using System.Collections.Generic;
using System.Management.Automation;
using AgentState.Commands.Infrastructure;

namespace AgentState.Commands
{
    /// <summary>The -Path, -LiteralPath and -SessionId (with -Root) that every cmdlet reading one trajectory takes.</summary>
    public abstract class TrajectoryReadingCommand : PSCmdlet
    {
        /// <summary>The parameter set of -Path.</summary>
        protected const string PathSet = "Path";

        /// <summary>The parameter set of -LiteralPath.</summary>
        protected const string LiteralPathSet = "LiteralPath";

        /// <summary>The parameter set of -SessionId.</summary>
        protected const string SessionSet = "SessionId";

        /// <summary>The trajectory file; wildcards allowed. A piped trajectory summary binds here by its Path.</summary>
        /// <remarks>
        /// From the pipeline by name so that no parameter set has a mandatory parameter the pipeline cannot fill:
        /// otherwise PowerShell latches onto the -SessionId set (the only one taking values) before the first
        /// object arrives, and a piped FileInfo binds to -SessionId as its ToString().
        /// </remarks>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>The trajectory file, exactly as typed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string? LiteralPath { get; set; }

        /// <summary>The session, found under -Root: piped as a string, or from a piped object's SessionId.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SessionSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SessionIdCompleter))]
        [ValidateNotNullOrEmpty]
        public string? SessionId { get; set; }

        /// <summary>The trajectories' root, for -SessionId: $env:AGENTSTATE_TRAJECTORIES, else ./.agentstate/trajectories.</summary>
        [Parameter(ParameterSetName = SessionSet)]
        public string? Root { get; set; }

        /// <summary>The files the parameters name; failures are written as errors.</summary>
        protected IEnumerable<string> Targets() =>
            TrajectoryTargets.Resolve(this, ParameterSetName == PathSet ? Path : null, ParameterSetName == LiteralPathSet ? LiteralPath : null,
                ParameterSetName == SessionSet ? SessionId : null, Root);
    }
}
