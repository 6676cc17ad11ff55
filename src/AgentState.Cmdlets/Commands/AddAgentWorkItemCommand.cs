using System;
using System.Management.Automation;
using System.Text;
using AgentState.Commands.Infrastructure;
using AgentState.Json;
using AgentState.Queue;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Queues a work item (a work order: id, payload, priority, not-before time) in a shared work queue: a folder, or a PostgreSQL database (-Store).</para>
    /// <para type="description">The item is written and flushed, then given its place by one durable rename: once this returns it is queued, and a crash at any moment leaves it either fully queued or not at all. Items are claimed highest -Priority first and in FIFO order within a priority. With -Capacity, a full queue makes the call wait up to -CapacityTimeout for room, then fail with WorkQueueFull. On PostgreSQL the item is queued by one committed transaction instead of the rename.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "AgentWorkItem", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(WorkItem))]
    public sealed class AddAgentWorkItemCommand : PSCmdlet, IDisposable
    {
        private readonly System.Threading.CancellationTokenSource _stopping = new System.Threading.CancellationTokenSource();

        /// <summary>The item's id, unique in the queue: letters, digits, '.', '_', '-'.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = string.Empty;

        /// <summary>The payload: a hashtable, [ordered], an object, an array or a plain value; stored as JSON.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        public PSObject? Payload { get; set; }

        /// <summary>0 to 999, higher claimed first (default 0).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(WorkItemDraft.MinPriority, WorkItemDraft.MaxPriority)]
        public int Priority { get; set; }

        /// <summary>Not claimed before this time.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public DateTime? NotBefore { get; set; }

        /// <summary>Claims allowed before the item goes to the dead letters (default 5).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        public int MaxAttempts { get; set; } = 5;

        /// <summary>Refuse to go past this many queued and claimed items.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? Capacity { get; set; }

        /// <summary>With -Capacity: how long to wait for room (seconds or a TimeSpan; default 0: fail at once).</summary>
        [Parameter]
        [SecondsToTimeSpan]
        public TimeSpan? CapacityTimeout { get; set; }

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

            WorkItemDraft draft;
            try
            {
                string payload = Encoding.UTF8.GetString(JsonTreeWriter.Write(PSJsonConverter.FromPowerShell(Payload, "$.payload")));
                draft = new WorkItemDraft(Id, payload)
                {
                    Priority = Priority,
                    MaxAttempts = MaxAttempts,
                    NotBefore = NotBefore is DateTime at ? Text.IsoTimestamp.ToOffset(at) : (DateTimeOffset?)null,
                };
            }
            catch (JsonTreeException ex)
            {
                WriteError(PSJsonConverter.ErrorFor(ex, Id));
                return;
            }

            if (!ShouldProcess($"{Id} in {queue.Location}", "Add work item"))
            {
                return;
            }

            try
            {
                WriteObject(WorkItemOutput.For(queue.Enqueue(draft, Capacity, CapacityTimeout ?? TimeSpan.Zero, _stopping.Token)));
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception ex) when (WorkQueueErrors.For(ex, Id) is ErrorRecord error)
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
