using System;

namespace AgentState.Queue
{
    /// <summary>A work order to enqueue.</summary>
    public sealed class WorkItemDraft
    {
        /// <summary>The lowest priority.</summary>
        public const int MinPriority = 0;

        /// <summary>The highest priority.</summary>
        public const int MaxPriority = 999;

        /// <summary>An item with this id and JSON payload.</summary>
        public WorkItemDraft(string id, string payloadJson)
        {
            Id = id;
            PayloadJson = payloadJson;
        }

        /// <summary>The item's id, unique in the queue: letters, digits, '.', '_', '-'.</summary>
        public string Id { get; }

        /// <summary>The payload, one JSON value.</summary>
        public string PayloadJson { get; }

        /// <summary>0 to 999; higher is claimed first (default 0). FIFO within one priority.</summary>
        public int Priority { get; set; }

        /// <summary>Not claimed before this time; null: at once.</summary>
        public DateTimeOffset? NotBefore { get; set; }

        /// <summary>Claims allowed before the item goes to the dead letters (default 5).</summary>
        public int MaxAttempts { get; set; } = 5;
    }
}
