using System;

namespace AgentState.Stores
{
    /// <summary>How a store is opened; each backend uses the members that apply to it.</summary>
    public sealed class StoreOpenOptions
    {
        /// <summary>How long to wait for a record's lock (a file lock, or a row lock); null for the backend's default.</summary>
        public TimeSpan? LockTimeout { get; set; }

        /// <summary>The clock records are stamped with; null for the system clock.</summary>
        public Func<DateTimeOffset>? Clock { get; set; }

        /// <summary>
        /// Create (or migrate) a database store's schema on first use instead of failing because it is missing or older
        /// ($AGENTSTATE_STORE_INIT=1 for the cmdlets and the CLI, or the CLI's --init). Folder stores are created by New-AgentState as ever.
        /// </summary>
        public bool Initialize { get; set; }

        /// <summary>The database schema that holds a database store's tables; null for "agentstate".</summary>
        public string? Schema { get; set; }

        /// <summary>After how long without a write an agent recorded on another host counts as not alive; null for 60 seconds.</summary>
        public TimeSpan? HeartbeatTimeout { get; set; }

        /// <summary>
        /// How long a database store keeps trying work that certainly did not commit (connection refused, a server
        /// restarting) before it reports the failure; null for 30 seconds.
        /// </summary>
        public TimeSpan? RetryFor { get; set; }

        /// <summary>
        /// Told, in one line, each time a database store tries again work that certainly did not commit (the server
        /// restarting, a connection lost before the commit was sent): the cmdlets' -Verbose stream. Null to stay silent.
        /// </summary>
        public Action<string>? Retrying { get; set; }

        /// <summary>
        /// Whether a work queue's claim holder is dead, so that its items return before their leases run out; null for
        /// <see cref="Queue.LeaseHolder.IsKnownDead"/> (a process on this host that is gone). Tests give their own.
        /// </summary>
        public Func<Queue.LeaseHolder, bool>? LeaseHolderIsDead { get; set; }

        /// <summary>The variable that asks for <see cref="Initialize"/> wherever a store is opened.</summary>
        public const string InitializeVariable = "AGENTSTATE_STORE_INIT";

        /// <summary>True when $AGENTSTATE_STORE_INIT is 1 or true.</summary>
        public static bool InitializeFromEnvironment()
        {
            string? value = Environment.GetEnvironmentVariable(InitializeVariable);
            return value == "1" || string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
        }
    }
}
