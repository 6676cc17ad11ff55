using System;
using System.Linq;
using System.Management.Automation;
using AgentState.Commands.Infrastructure;
using AgentState.Json;
using AgentState.Trajectories;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Closes a trajectory: appends the final line (final_metrics summed from the steps when not given), updates the index and releases the writer.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Complete, "Trajectory", DefaultParameterSetName = WriterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(TrajectorySummary))]
    public sealed class CompleteTrajectoryCommand : PSCmdlet
    {
        private const string WriterSet = "Writer";
        private const string PathSet = "Path";
        private const string SessionSet = "SessionId";

        /// <summary>The writer Start-Trajectory returned.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = WriterSet, ValueFromPipeline = true)]
        public TrajectoryWriter? Writer { get; set; }

        /// <summary>The trajectory file.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>The session, found under -Root; a piped string is a session id.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SessionSet, ValueFromPipeline = true)]
        [ArgumentCompleter(typeof(SessionIdCompleter))]
        [ValidateNotNullOrEmpty]
        public string? SessionId { get; set; }

        /// <summary>The trajectories' root, for -SessionId.</summary>
        [Parameter(ParameterSetName = SessionSet)]
        public string? Root { get; set; }

        /// <summary>Completed (the default) or Failed.</summary>
        [Parameter]
        [ValidateSet("Completed", "Failed")]
        public TrajectoryStatus Status { get; set; } = TrajectoryStatus.Completed;

        /// <summary>final_metrics; summed from the steps' metrics when absent.</summary>
        [Parameter]
        public PSObject? FinalMetrics { get; set; }

        /// <summary>notes on the final line.</summary>
        [Parameter]
        public string? Notes { get; set; }

        /// <summary>Emit the closed trajectory's summary.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            TrajectoryWriter? writer = Writer;
            string? target = writer?.Path ?? TrajectoryTargets.Resolve(this, Path, null, SessionId, Root).FirstOrDefault();
            if (target == null)
            {
                return;
            }

            OrderedJsonObject? finalMetrics;
            try
            {
                finalMetrics = PSJsonConverter.ObjectFromPowerShell(FinalMetrics, "$.final_metrics");
            }
            catch (JsonTreeException ex)
            {
                WriteError(PSJsonConverter.ErrorFor(ex, target));
                return;
            }

            if (!ShouldProcess(target, $"Close the trajectory as {Status.ToFileText()}"))
            {
                return;
            }

            try
            {
                writer = writer ?? TrajectoryWriter.Open(target);
                writer.Complete(Status, finalMetrics, Notes);
                if (PassThru)
                {
                    WriteObject(OutputObjects.Summary(TrajectorySummary.Inspect(target)));
                }
            }
            catch (Exception ex) when (EngineErrors.For(ex, target) is ErrorRecord error)
            {
                WriteError(error);
            }
            finally
            {
                if (Writer == null)
                {
                    writer?.Dispose();
                }
            }
        }
    }
}
