using AgentState.Agents;
using AgentState.Queue;

namespace AgentState.Stores
{
    /// <summary>
    /// A store backend that lives in an assembly of its own and is loaded only when a store of its kind is named
    /// (AgentState.Postgres): the agent state store and the work queue.
    /// </summary>
    public interface IStoreBackend
    {
        /// <summary>The agent state store at <paramref name="connection"/>.</summary>
        IAgentStateStore OpenAgentStates(string connection, StoreOpenOptions options);

        /// <summary>The work queue at <paramref name="connection"/>.</summary>
        IWorkQueue OpenWorkQueue(string connection, StoreOpenOptions options);

        /// <summary>Creates the store's schema or migrates it to the newest version; returns what it did, in one line.</summary>
        string Initialize(string connection, StoreOpenOptions options);
    }
}
