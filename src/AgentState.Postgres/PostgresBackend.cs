using AgentState.Agents;
using AgentState.Queue;
using AgentState.Stores;

namespace AgentState.Postgres
{
    /// <summary>The PostgreSQL backend: registered by the CLI, loaded by name by the module (<see cref="AgentStores.PostgresBackendType"/>).</summary>
    public sealed class PostgresBackend : IStoreBackend
    {
        /// <inheritdoc />
        public IAgentStateStore OpenAgentStates(string connection, StoreOpenOptions options) =>
            new PostgresAgentStateStore(PostgresAddress.Parse(connection, options.Schema), options);

        /// <inheritdoc />
        public IWorkQueue OpenWorkQueue(string connection, StoreOpenOptions options) =>
            new PostgresWorkQueue(PostgresAddress.Parse(connection, options.Schema), options);

        /// <inheritdoc />
        public string Initialize(string connection, StoreOpenOptions options)
        {
            PostgresAddress address = PostgresAddress.Parse(connection, options.Schema);
            var gateway = new PostgresGateway(address, options.RetryFor, options.Retrying);
            string done = gateway.InTransaction($"initialize the schema '{address.Schema}'", (c, t) => PostgresSchema.Migrate(c, t, address.Schema), PostgresSchema.LockName(address.Schema));
            return done + " (" + address.Location + ")";
        }
    }
}
