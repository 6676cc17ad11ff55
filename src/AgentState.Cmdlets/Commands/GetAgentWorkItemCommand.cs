using System;
using System.Linq;
using System.Management.Automation;
using AgentState.Commands.Infrastructure;
using AgentState.Queue;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the items of a work queue, or gets items by id, with their state, attempts, lease and last error.</para>
    /// <para type="description">Queued items come first in claim order (highest priority first, FIFO within a priority), then claimed, completed and dead-letter items. A missing id is an error; a wildcard matching nothing is not.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AgentWorkItem")]
    [OutputType(typeof(WorkItem))]
    public sealed class GetAgentWorkItemCommand : PSCmdlet
    {
        /// <summary>The items to get; wildcards allowed. All when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        public string[]? Id { get; set; }

        /// <summary>Only items in these states.</summary>
        [Parameter]
        public WorkItemState[]? State { get; set; }

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
                if (Id != null && Id.All(i => !WildcardPattern.ContainsWildcardCharacters(i)))
                {
                    foreach (string id in Id)
                    {
                        try
                        {
                            WorkItem item = queue.Get(id);
                            if (State == null || State.Contains(item.State))
                            {
                                WriteObject(WorkItemOutput.For(item));
                            }
                        }
                        catch (Exception ex) when (ex is WorkItemNotFoundException || ex is ArgumentException)
                        {
                            WriteError(WorkQueueErrors.For(ex, id)!);
                        }
                    }

                    return;
                }

                WildcardPattern[]? patterns = Id?.Select(i => new WildcardPattern(i, WildcardOptions.IgnoreCase)).ToArray();
                foreach (WorkItem item in queue.List())
                {
                    if ((State == null || State.Contains(item.State)) && (patterns == null || patterns.Any(p => p.IsMatch(item.Id))))
                    {
                        WriteObject(WorkItemOutput.For(item));
                    }
                }
            }
            catch (Exception ex) when (WorkQueueErrors.For(ex, queue.Location) is ErrorRecord error)
            {
                WriteError(error);
            }
        }
    }
}
