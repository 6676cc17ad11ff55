using System;

namespace AgentState.Queue
{
    /// <summary>A work item as the queue holds it.</summary>
    public sealed class WorkItem
    {
        internal WorkItem(string queue, string id, WorkItemState state, long sequence, int priority, int attempts)
        {
            Queue = queue;
            Id = id;
            State = state;
            Sequence = sequence;
            Priority = priority;
            Attempts = attempts;
        }

        /// <summary>The queue's folder.</summary>
        public string Queue { get; }

        /// <summary>The item's id.</summary>
        public string Id { get; }

        /// <summary>Where it is.</summary>
        public WorkItemState State { get; }

        /// <summary>Its place in the queue's FIFO order, given when it was enqueued.</summary>
        public long Sequence { get; }

        /// <summary>0 to 999, higher claimed first.</summary>
        public int Priority { get; }

        /// <summary>How many times it has been claimed.</summary>
        public int Attempts { get; }

        /// <summary>Claims allowed before it goes to the dead letters; null when its content was not read.</summary>
        public int? MaxAttempts { get; internal set; }

        /// <summary>The payload, one JSON value; null when its content was not read.</summary>
        public string? PayloadJson { get; internal set; }

        /// <summary>When it was enqueued; null when its content was not read.</summary>
        public DateTimeOffset? EnqueuedAt { get; internal set; }

        /// <summary>Not claimed before this time (queued items only).</summary>
        public DateTimeOffset? NotBefore { get; internal set; }

        /// <summary>The claim's token, which renew, complete and fail must give (claimed items only).</summary>
        public string? LeaseToken { get; internal set; }

        /// <summary>When the lease runs out unless renewed (claimed items only).</summary>
        public DateTimeOffset? LeaseExpires { get; internal set; }

        /// <summary>The holder's process id (claimed items only).</summary>
        public int? HolderProcessId { get; internal set; }

        /// <summary>The last failure recorded for it (by fail, or when its lease was lost), if any.</summary>
        public string? LastError { get; internal set; }

        /// <summary>The file that is the item, in its state's folder.</summary>
        public string Path { get; internal set; } = string.Empty;
    }
}
