using System;
using System.Management.Automation;
using AgentState.Commands.Infrastructure;
using AgentState.Queue;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Marks a claimed work item done, by one durable rename.</para>
    /// <para type="description">Fails with WorkItemLeaseLost, changing nothing, when the claim is no longer the caller's (its lease ran out or its holder was judged dead, and it returned to the queue).</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Complete, "AgentWorkItem", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(WorkItem))]
    public sealed class CompleteAgentWorkItemCommand : PSCmdlet
    {
        /// <summary>The claimed item's id (piped from Receive-AgentWorkItem).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = string.Empty;

        /// <summary>The claim's token (piped from Receive-AgentWorkItem).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string LeaseToken { get; set; } = string.Empty;

        /// <summary>The queue: its folder, or a PostgreSQL connection (piped items bring their own).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public string? Queue { get; set; }

        /// <summary>The queue's store: a PostgreSQL connection string or URI, or a queue folder. Wins over -Queue (and over the queue piped items bring).</summary>
        [Parameter]
        [EmptyAsAbsent]
        public string? Store { get; set; }

        /// <summary>Emit the completed item.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            IWorkQueue? queue = WorkQueueResolver.Open(this, Queue, Store);
            if (queue == null || !ShouldProcess(Id, "Complete work item"))
            {
                return;
            }

            try
            {
                WorkItem done = queue.Complete(Id, LeaseToken);
                if (PassThru)
                {
                    WriteObject(WorkItemOutput.For(done));
                }
            }
            catch (Exception ex) when (WorkQueueErrors.For(ex, Id) is ErrorRecord error)
            {
                WriteError(error);
            }
        }
    }
}
