using System;
using System.Collections.Generic;

namespace AgentState.Agents
{
    /// <summary>
    /// What the cmdlets and the CLI do with an agent state store, whatever holds it: the state folder
    /// (<see cref="AgentStateStore"/>) or a database (AgentState.Postgres). Every implementation applies the same
    /// validation and transitions (<see cref="AgentStateRules"/>) and changes a record only under its lock.
    /// </summary>
    public interface IAgentStateStore
    {
        /// <summary>
        /// Where the store is, as records and reports name it: the root folder, or the database's address without
        /// its password. Piped records carry it back to the same store.
        /// </summary>
        string Location { get; }

        /// <summary>The current time as the store stamps it.</summary>
        DateTimeOffset Now { get; }

        /// <summary>True when the store exists (its folder, or its schema).</summary>
        bool Exists { get; }

        /// <summary>Fails when the store does not exist: reading a store that is not there is an error, not an empty answer.</summary>
        /// <exception cref="AgentStoreNotFoundException">The store does not exist.</exception>
        void ThrowIfMissing();

        /// <summary>Writes a new agent's record.</summary>
        /// <exception cref="AgentStateExistsException">The agent has a record and <paramref name="overwrite"/> is false.</exception>
        AgentStateRecord Create(AgentStateDraft draft, bool overwrite = false);

        /// <summary>An agent's record, or null when it has none.</summary>
        /// <exception cref="AgentStateCorruptException">The record exists but cannot be read as an agent's state.</exception>
        AgentStateRecord? TryGet(string agentId);

        /// <summary>Changes an agent's record under its lock and stamps last_updated.</summary>
        /// <exception cref="AgentStateNotFoundException">The agent has no record.</exception>
        /// <exception cref="AgentTransitionException">A finished agent would change status without Force.</exception>
        AgentStateRecord Update(string agentId, AgentStateChange change);

        /// <summary>
        /// Deletes an agent's record when <paramref name="condition"/>, checked under the lock on the current record,
        /// allows it. False when there was no record or the condition said no.
        /// </summary>
        bool Remove(string agentId, Func<AgentStateRecord, bool>? condition = null);

        /// <summary>
        /// Every record, or the reason one could not be read; with <paramref name="idFilter"/>, only agents whose id it
        /// accepts. When <paramref name="sorted"/>, in the ordinal order of the
        /// file names <c>&lt;id&gt;.json</c> (so <c>a.9</c> comes before <c>a</c>), which every backend keeps.
        /// </summary>
        /// <exception cref="AgentStoreNotFoundException">The store does not exist (thrown by the call, not by the first read).</exception>
        IEnumerable<AgentStateEntry> Scan(Func<string, bool>? idFilter = null, bool sorted = true);

        /// <summary>
        /// The incomplete agents in id order, with liveness and staleness (last_updated older than <paramref name="staleAfter"/>).
        /// Unreadable records come through as entries with no agent, to be reported.
        /// </summary>
        IEnumerable<(IncompleteAgent? Agent, AgentStateEntry Entry)> FindIncomplete(TimeSpan? staleAfter = null);

        /// <summary>
        /// Finished agents that finished longer than <paramref name="olderThan"/> ago (by <see cref="AgentStateRecord.FinishedAt"/>),
        /// and unreadable records, to be reported. Removing one is <see cref="Remove"/> with
        /// <see cref="AgentStateQueries.IsFinishedBefore"/> as its condition, so that the test repeats under the lock.
        /// </summary>
        IEnumerable<AgentStateEntry> FindFinishedBefore(TimeSpan olderThan);

        /// <summary>What a restart finds: counts by status and type, unreadable records, the oldest incomplete agent.</summary>
        AgentRecoverySummary Summarize();
    }
}
