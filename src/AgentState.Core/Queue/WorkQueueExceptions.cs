using System;
using System.IO;

namespace AgentState.Queue
{
    /// <summary>The queue holds its capacity of unfinished items and did not make room within the wait.</summary>
    public sealed class WorkQueueFullException : IOException
    {
        /// <summary>Creates the exception.</summary>
        public WorkQueueFullException(string queue, int capacity, TimeSpan waited)
            : base($"The work queue '{queue}' is full: {capacity} items are queued or claimed (its capacity) and none finished within {waited.TotalSeconds:0.###} s.")
        {
            Queue = queue;
            Capacity = capacity;
        }

        /// <summary>The queue's folder.</summary>
        public string Queue { get; }

        /// <summary>The capacity that was reached.</summary>
        public int Capacity { get; }
    }

    /// <summary>An item with this id is already in the queue (in any state).</summary>
    public sealed class DuplicateWorkItemException : IOException
    {
        /// <summary>Creates the exception.</summary>
        public DuplicateWorkItemException(string queue, string id, WorkItemState state)
            : base($"The work queue '{queue}' already has an item '{id}' ({state}); ids are unique in a queue.")
        {
            Id = id;
            State = state;
        }

        /// <summary>The id.</summary>
        public string Id { get; }

        /// <summary>Where the existing item is.</summary>
        public WorkItemState State { get; }
    }

    /// <summary>No item has this id.</summary>
    public sealed class WorkItemNotFoundException : FileNotFoundException
    {
        /// <summary>Creates the exception.</summary>
        public WorkItemNotFoundException(string queue, string id)
            : base($"The work queue '{queue}' has no item '{id}'.")
        {
            Id = id;
        }

        /// <summary>The id.</summary>
        public string Id { get; }
    }

    /// <summary>
    /// The caller's claim is no longer theirs: the lease expired or the holder was judged dead and the item returned
    /// (perhaps claimed by another), or the token is not the claim's. Nothing was changed.
    /// </summary>
    public sealed class LeaseLostException : IOException
    {
        /// <summary>Creates the exception.</summary>
        public LeaseLostException(string queue, string id, WorkItemState? state)
            : base($"The claim on '{id}' in the work queue '{queue}' is no longer held with that token"
                + (state == null ? "; the item is gone." : $"; the item is {state} now.") + " Its lease expired, its holder was judged dead, or the token is wrong.")
        {
            Id = id;
            State = state;
        }

        /// <summary>The id.</summary>
        public string Id { get; }

        /// <summary>Where the item is now, if it exists.</summary>
        public WorkItemState? State { get; }
    }
}
