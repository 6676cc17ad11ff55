using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using AgentState.Commands.Infrastructure;
using AgentState.Queue;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Claims the next due work item under a lease: exactly one consumer gets each item, however many there are.</para>
    /// <para type="description">The claim is held by this PowerShell process (or -HolderProcessId) until -Lease runs out; renew it with Update-AgentWorkItemLease, finish it with Complete-AgentWorkItem or Stop-AgentWorkItem. If the holder dies, or the lease runs out, the item returns to the queue at the next claim, its attempt counted. Emits nothing when no item was due within -Wait. With -Count, claims up to that many due items in one trip to the queue (one lock and one flush on a folder, one round trip on PostgreSQL) and emits each in claim order with a lease token of its own; it waits up to -Wait only for the first, and emits fewer when fewer were due.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Receive, "AgentWorkItem", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(WorkItem))]
    public sealed class ReceiveAgentWorkItemCommand : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        /// <summary>How long the claim is held unless renewed (seconds or a TimeSpan; default 5 minutes).</summary>
        [Parameter]
        [SecondsToTimeSpan]
        public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>How long to wait for a due item (seconds or a TimeSpan; default 0: look once).</summary>
        [Parameter]
        [SecondsToTimeSpan]
        public TimeSpan? Wait { get; set; }

        /// <summary>How many due items to claim at once, 1 to 1000 (default 1): each comes with its own lease token, in claim order; fewer when fewer were due.</summary>
        [Parameter]
        [ValidateRange(1, WorkItemRules.MaxClaimCount)]
        public int Count { get; set; } = 1;

        /// <summary>The process whose death returns the item (default: this PowerShell process).</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? HolderProcessId { get; set; }

        /// <summary>The queue: its folder, or a PostgreSQL connection. Default: $env:AGENTSTATE_QUEUE, else $env:AGENTSTATE_STORE when it names PostgreSQL, else ./.agentstate/queue.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
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
            string action = Count == 1 ? "Claim the next work item" : $"Claim up to {Count} work items";
            if (queue == null || !ShouldProcess(queue.Location, action))
            {
                return;
            }

            try
            {
                LeaseHolder holder = HolderProcessId is int pid ? LeaseHolder.ForProcess(pid) : LeaseHolder.Current;
                IReadOnlyList<WorkItem> items = queue.ClaimMany(holder, Lease, Count, Wait ?? TimeSpan.Zero, _stopping.Token);
                if (items.Count == 0)
                {
                    WriteVerbose($"No item in '{queue.Location}' was due.");
                    return;
                }

                if (items.Count < Count)
                {
                    WriteVerbose($"{items.Count} of the {Count} items asked for were due in '{queue.Location}'.");
                }

                foreach (WorkItem item in items)
                {
                    WriteObject(WorkItemOutput.For(item));
                }
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception ex) when (WorkQueueErrors.For(ex, queue.Location) is ErrorRecord error)
            {
                WriteError(error);
            }
        }

        /// <inheritdoc />
        protected override void StopProcessing() => _stopping.Cancel();

        /// <inheritdoc />
        public void Dispose() => _stopping.Dispose();
    }
}
