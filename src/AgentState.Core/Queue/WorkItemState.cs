namespace AgentState.Queue
{
    /// <summary>Where a work item is: each item is in exactly one of these, by the folder its file is in.</summary>
    public enum WorkItemState
    {
        /// <summary>Waiting to be claimed (perhaps not before a time).</summary>
        Queued,

        /// <summary>Held by a consumer under a lease.</summary>
        Claimed,

        /// <summary>Done.</summary>
        Completed,

        /// <summary>Failed more often than its maximum of attempts; kept with its last error.</summary>
        DeadLetter,
    }
}
