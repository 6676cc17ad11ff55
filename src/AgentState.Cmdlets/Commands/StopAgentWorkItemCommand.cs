using System;
using System.Management.Automation;
using AgentState.Commands.Infrastructure;
using AgentState.Queue;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Fails a claimed work item: records the error and returns it to the queue after -RetryAfter, or past its maximum of attempts makes it a dead letter.</para>
    /// <para type="description">The queue's "fail" (exported also as the alias Fail-AgentWorkItem; Fail is not an approved verb). The error is recorded first, then the item moves by one durable rename. Fails with WorkItemLeaseLost, changing nothing, when the claim is no longer the caller's.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "AgentWorkItem", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [Alias("Fail-AgentWorkItem")]
    [OutputType(typeof(WorkItem))]
    public sealed class StopAgentWorkItemCommand : PSCmdlet
    {
        /// <summary>The claimed item's id (piped from Receive-AgentWorkItem). Not positional: the error message is, so that <c>$item | Stop-AgentWorkItem 'why'</c> reads naturally.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = string.Empty;

        /// <summary>The claim's token (piped from Receive-AgentWorkItem).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string LeaseToken { get; set; } = string.Empty;

        /// <summary>What went wrong; kept as the item's last error.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("Error")]
        [ValidateNotNullOrEmpty]
        public string ErrorMessage { get; set; } = string.Empty;

        /// <summary>How long before it may be claimed again (seconds or a TimeSpan; default 0).</summary>
        [Parameter]
        [SecondsToTimeSpan]
        public TimeSpan? RetryAfter { get; set; }

        /// <summary>The queue: its folder, or a PostgreSQL connection (piped items bring their own).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public string? Queue { get; set; }

        /// <summary>The queue's store: a PostgreSQL connection string or URI, or a queue folder. Wins over -Queue (and over the queue piped items bring).</summary>
        [Parameter]
        [EmptyAsAbsent]
        public string? Store { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            IWorkQueue? queue = WorkQueueResolver.Open(this, Queue, Store);
            if (queue == null || !ShouldProcess(Id, "Fail work item"))
            {
                return;
            }

            try
            {
                WriteObject(WorkItemOutput.For(queue.Fail(Id, LeaseToken, ErrorMessage, RetryAfter ?? TimeSpan.Zero)));
            }
            catch (Exception ex) when (WorkQueueErrors.For(ex, Id) is ErrorRecord error)
            {
                WriteError(error);
            }
        }
    }
}
