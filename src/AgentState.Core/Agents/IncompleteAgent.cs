using System;

namespace AgentState.Agents
{
    /// <summary>An agent left pending, spawning or running, with what a restart needs to decide about it.</summary>
    public sealed class IncompleteAgent
    {
        /// <summary>Creates the view.</summary>
        public IncompleteAgent(AgentStateRecord record, bool processAlive, bool stale, TimeSpan? sinceUpdate)
        {
            Record = record;
            ProcessAlive = processAlive;
            Stale = stale;
            SinceUpdate = sinceUpdate;
        }

        /// <summary>The whole record.</summary>
        public AgentStateRecord Record { get; }

        /// <summary>The store's root.</summary>
        public string Root => Record.Root;

        /// <summary>The agent's id.</summary>
        public string AgentId => Record.AgentId;

        /// <summary>agent_name.</summary>
        public string? Name => Record.Name;

        /// <summary>agent_type.</summary>
        public string? Type => Record.Type;

        /// <summary>status, when it is one this module knows, as on <see cref="AgentStateRecord.Status"/>.</summary>
        public AgentStatus? Status => Record.Status;

        /// <summary>status, as written in the file.</summary>
        public string? StatusText => Record.StatusText;

        /// <summary>progress.</summary>
        public double? Progress => Record.Progress;

        /// <summary>started_at.</summary>
        public DateTimeOffset? StartedAt => Record.StartedAt;

        /// <summary>last_updated.</summary>
        public DateTimeOffset? LastUpdated => Record.LastUpdated;

        /// <summary>parent_agent_id.</summary>
        public string? ParentId => Record.ParentId;

        /// <summary>pid.</summary>
        public int? ProcessId => Record.ProcessId;

        /// <summary>The recorded process still runs on this machine (and is the same process, where its start time was recorded).</summary>
        public bool ProcessAlive { get; }

        /// <summary>last_updated is older than the staleness limit asked for (false when none was).</summary>
        public bool Stale { get; }

        /// <summary>How long since last_updated; null when the record has none.</summary>
        public TimeSpan? SinceUpdate { get; }
    }
}
