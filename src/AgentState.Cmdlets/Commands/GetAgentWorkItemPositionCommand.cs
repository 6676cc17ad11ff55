using System;
using System.Management.Automation;
using AgentState.Commands.Infrastructure;
using AgentState.Queue;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets a work item's place in claim order (1 is claimed next), or the state it is in when it is not queued.</para>
    /// <para type="description">Counts the queued items ahead of it, from the names of the queue's files alone: items of a higher priority, and earlier items of its own priority (items not yet due included).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AgentWorkItemPosition")]
    [OutputType(typeof(WorkItemPosition))]
    public sealed class GetAgentWorkItemPositionCommand : PSCmdlet
    {
        /// <summary>The item's id.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = string.Empty;

        /// <summary>The queue: its folder, or a PostgreSQL connection. Default: $env:AGENTSTATE_QUEUE, else $env:AGENTSTATE_STORE when it names PostgreSQL, else ./.agentstate/queue.</summary>
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
            if (queue == null)
            {
                return;
            }

            try
            {
                WriteObject(queue.Position(Id));
            }
            catch (Exception ex) when (WorkQueueErrors.For(ex, Id) is ErrorRecord error)
            {
                WriteError(error);
            }
        }
    }
}
