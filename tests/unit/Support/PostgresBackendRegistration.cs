using System.Runtime.CompilerServices;
using AgentState.Postgres;
using AgentState.Stores;

namespace AgentState.Tests.Support
{
    /// <summary>The test host registers the PostgreSQL backend as the CLI does: referenced, not loaded by name.</summary>
    internal static class PostgresBackendRegistration
    {
        [ModuleInitializer]
        internal static void Register() => AgentStores.UsePostgres(() => new PostgresBackend());
    }
}
