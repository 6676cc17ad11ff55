using System;
using System.Management.Automation;
using AgentState.Commands.Infrastructure;
using AgentState.Queue;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Renews the lease on a claimed work item, so that it stays held for -Lease from now.</para>
    /// <para type="description">Fails with WorkItemLeaseLost, changing nothing, when the claim is no longer the caller's: its lease ran out or its holder was judged dead and it returned to the queue.</para>
    /// </summary>
    [Cmdlet(VerbsData.Update, "AgentWorkItemLease", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(WorkItem))]
    public sealed class UpdateAgentWorkItemLeaseCommand : PSCmdlet
    {
        /// <summary>The claimed item's id (piped from Receive-AgentWorkItem).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = string.Empty;

        /// <summary>The claim's token (piped from Receive-AgentWorkItem).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string LeaseToken { get; set; } = string.Empty;

        /// <summary>How long from now the claim is held (seconds or a TimeSpan; default 5 minutes).</summary>
        [Parameter]
        [SecondsToTimeSpan]
        public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

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
            if (queue == null || !ShouldProcess(Id, "Renew the work item's lease"))
            {
                return;
            }

            try
            {
                WriteObject(WorkItemOutput.For(queue.Renew(Id, LeaseToken, Lease)));
            }
            catch (Exception ex) when (WorkQueueErrors.For(ex, Id) is ErrorRecord error)
            {
                WriteError(error);
            }
        }
    }
}
