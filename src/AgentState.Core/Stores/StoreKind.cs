namespace AgentState.Stores
{
    /// <summary>What holds a store.</summary>
    public enum StoreKind
    {
        /// <summary>A folder on a file system (the embedded default).</summary>
        Folder,

        /// <summary>A PostgreSQL database, shared by coordinators on several hosts.</summary>
        Postgres,
    }
}
