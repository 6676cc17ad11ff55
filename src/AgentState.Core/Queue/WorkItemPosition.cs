namespace AgentState.Queue
{
    /// <summary>Where an item stands: its place among the queued items, or the state it is in.</summary>
    public sealed class WorkItemPosition
    {
        /// <summary>Creates the answer.</summary>
        public WorkItemPosition(string queue, string id, WorkItemState state, int? position)
        {
            Queue = queue;
            Id = id;
            State = state;
            Position = position;
        }

        /// <summary>The queue.</summary>
        public string Queue { get; }

        /// <summary>The item.</summary>
        public string Id { get; }

        /// <summary>Where it is.</summary>
        public WorkItemState State { get; }

        /// <summary>1 for the next item to be claimed (items not yet due included); null when it is not queued.</summary>
        public int? Position { get; }
    }
}
