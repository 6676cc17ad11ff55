using System;
using System.Management.Automation;
using System.Threading;
using AgentState.Commands.Infrastructure;
using AgentState.Trajectories;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Follows a trajectory another process is writing, like Get-Content -Wait but emitting only complete steps; stops at the final line, at -Timeout or on Ctrl+C.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Watch, "Trajectory", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(PSObject))]
    public sealed class WatchTrajectoryCommand : TrajectoryReadingCommand, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        /// <summary>Emit the steps already there first.</summary>
        [Parameter]
        public SwitchParameter FromStart { get; set; }

        /// <summary>Stop after this long: seconds, or a time span.</summary>
        [Parameter]
        [SecondsToTimeSpan]
        public TimeSpan? Timeout { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (string file in Targets())
            {
                bool timedOut = false;
                try
                {
                    foreach (TrajectoryLine line in TrajectoryFollower.Follow(file, FromStart, Timeout, _stop.Token, () => timedOut = true))
                    {
                        if (line.Kind == TrajectoryLineKind.Malformed)
                        {
                            WriteError(new ErrorRecord(new System.IO.InvalidDataException($"A line of '{file}' is not valid JSON: {line.Error}"),
                                "TrajectoryLineMalformed", ErrorCategory.InvalidData, file));
                        }
                        else if (line.Kind == TrajectoryLineKind.Step)
                        {
                            WriteObject(TrajectoryTargets.ToStepObject(line.Value!));
                        }
                        else if (line.Kind == TrajectoryLineKind.Final)
                        {
                            WriteVerbose($"'{file}' was closed as {line.Value!["status"]}.");
                        }
                    }
                }
                catch (Exception ex) when (EngineErrors.For(ex, file) is ErrorRecord error)
                {
                    WriteError(error);
                }

                if (timedOut)
                {
                    // An error, not silence: a script must be able to tell a timeout from a closed trajectory ($? is false).
                    WriteError(new ErrorRecord(new TimeoutException($"Stopped watching '{file}' after {AgentState.Text.DurationText.Describe(Timeout!.Value)}: the trajectory was not closed in that time."),
                        "WatchTimedOut", ErrorCategory.OperationTimeout, file));
                }
            }
        }

        /// <inheritdoc />
        protected override void StopProcessing() => _stop.Cancel();

        /// <summary>Releases the cancellation source.</summary>
        public void Dispose() => _stop.Dispose();
    }
}
