using System;
using System.Management.Automation;
using AgentState.Commands.Infrastructure;
using AgentState.Json;
using AgentState.Trajectories;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Starts an ATIF trajectory: creates &lt;root&gt;/YYYYMMDD/&lt;session&gt;.atif.jsonl with its header line and index, and returns a writer that holds it open and locked.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "Trajectory", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(TrajectoryWriter))]
    public sealed class StartTrajectoryCommand : PSCmdlet
    {
        /// <summary>The session id: letters, digits, '.', '_', '-'. Generated (session-&lt;UTC timestamp&gt;-&lt;random&gt;) when absent.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? SessionId { get; set; }

        /// <summary>agent.name.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string AgentName { get; set; } = string.Empty;

        /// <summary>agent.version.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string AgentVersion { get; set; } = string.Empty;

        /// <summary>agent.model_name.</summary>
        [Parameter]
        public string? ModelName { get; set; }

        /// <summary>The trajectories' root: $env:AGENTSTATE_TRAJECTORIES, else ./.agentstate/trajectories.</summary>
        [Parameter]
        public string? Root { get; set; }

        /// <summary>schema_version; ATIF-v1.4 by default.</summary>
        [Parameter]
        [ValidateSet("ATIF-v1.0", "ATIF-v1.1", "ATIF-v1.2", "ATIF-v1.3", "ATIF-v1.4", "ATIF-v1.5", "ATIF-v1.6", "ATIF-v1.7")]
        public string SchemaVersion { get; set; } = AtifSchema.DefaultVersion;

        /// <summary>notes.</summary>
        [Parameter]
        public string? Notes { get; set; }

        /// <summary>The trajectory's root-level extra.</summary>
        [Parameter]
        public PSObject? Extra { get; set; }

        /// <summary>Durable (an fdatasync per step; the default) or Batch (one per pipeline of steps).</summary>
        [Parameter]
        public StepDurability Durability { get; set; } = StepDurability.Durable;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string? root = TrajectoryTargets.RootOf(this, Root);
            if (root == null)
            {
                return;
            }

            var start = new TrajectoryStart(root, AgentName, AgentVersion)
            {
                SessionId = SessionId,
                ModelName = ModelName,
                SchemaVersion = SchemaVersion,
                Notes = Notes,
            };
            try
            {
                start.Extra = PSJsonConverter.ObjectFromPowerShell(Extra, "$.extra");
            }
            catch (JsonTreeException ex)
            {
                WriteError(PSJsonConverter.ErrorFor(ex, SessionId ?? root));
                return;
            }

            if (!ShouldProcess(SessionId ?? "a new session", $"Start a trajectory under '{root}'"))
            {
                return;
            }

            try
            {
                WriteObject(OutputObjects.Writer(TrajectoryWriter.Start(start, new TrajectoryWriterOptions { Durability = Durability })));
            }
            catch (Exception ex) when (EngineErrors.For(ex, SessionId ?? root) is ErrorRecord error)
            {
                WriteError(error);
            }
        }
    }
}
