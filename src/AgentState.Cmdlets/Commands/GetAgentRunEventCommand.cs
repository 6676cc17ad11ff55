using System;
using System.Management.Automation;
using System.Threading;
using AgentState.Commands.Infrastructure;
using AgentState.Runs;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets a run's events from events.jsonl, in order; with -Wait, follows them live until run:complete or -Timeout.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AgentRunEvent")]
    [OutputType(typeof(RunEvent))]
    public sealed class GetAgentRunEventCommand : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        /// <summary>The run.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RunIdCompleter))]
        public string RunId { get; set; } = string.Empty;

        /// <summary>Only events of these types (run:start, iteration:start, agent:complete ...); wildcards allowed.</summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? Type { get; set; }

        /// <summary>Keep emitting events as they are appended, until run:complete, -Timeout or Ctrl+C.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>With -Wait: seconds (or a time span) after which to stop, with an error.</summary>
        [Parameter]
        [SecondsToTimeSpan]
        public TimeSpan? Timeout { get; set; }

        /// <summary>The runs folder: $env:AGENTSTATE_RUNS, else ./.agentstate/runs.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public string? Root { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            RunStore? store = RunStoreResolver.Open(this, Root);
            if (store == null)
            {
                return;
            }

            bool timedOut = false;
            try
            {
                var events = Wait ? store.FollowEvents(RunId, fromStart: true, Timeout, _stop.Token, () => timedOut = true) : store.ReadEvents(RunId);
                foreach (RunEvent e in events)
                {
                    if (Type == null || Array.Exists(Type, t => new WildcardPattern(t, WildcardOptions.IgnoreCase).IsMatch(e.Type ?? string.Empty)))
                    {
                        WriteObject(OutputObjects.Event(e));
                    }
                }
            }
            catch (Exception ex) when (EngineErrors.For(ex, RunId) is ErrorRecord error)
            {
                WriteError(error);
            }

            if (timedOut)
            {
                // An error, not silence: a script must be able to tell a timeout from a completed run ($? is false).
                WriteError(new ErrorRecord(new TimeoutException($"Stopped following run '{RunId}' after {AgentState.Text.DurationText.Describe(Timeout!.Value)}: it did not complete in that time."),
                    "WaitTimedOut", ErrorCategory.OperationTimeout, RunId));
            }
        }

        /// <inheritdoc />
        protected override void StopProcessing() => _stop.Cancel();

        /// <inheritdoc />
        public void Dispose() => _stop.Dispose();
    }
}
