using System;
using System.Runtime.InteropServices;
using AgentState.Agents;

namespace AgentState.Stores
{
    /// <summary>
    /// Opens the agent state store a locator names. A folder is the engine's own <see cref="AgentStateStore"/>; a
    /// PostgreSQL store comes from the backend the host registered with <see cref="UsePostgres"/>: the agentstate CLI
    /// references AgentState.Postgres and registers it directly (so that its native build needs no reflection), the
    /// module loads it by name only when a PostgreSQL store is named, so that the netstandard2.0 engine, and Windows
    /// PowerShell 5.1 with it, never load Npgsql for a folder store.
    /// </summary>
    public static class AgentStores
    {
        /// <summary>The assembly of the PostgreSQL backend (net8.0, Npgsql), in <see cref="PostgresFolderName"/> under the engine's folder (the module), or beside it (the CLI).</summary>
        public const string PostgresAssemblyName = "AgentState.Postgres";

        /// <summary>The backend's entry type: public, with a parameterless constructor, implementing <see cref="IStoreBackend"/>.</summary>
        public const string PostgresBackendType = "AgentState.Postgres.PostgresBackend";

        /// <summary>The module folder's subfolder that holds the PostgreSQL backend and Npgsql.</summary>
        public const string PostgresFolderName = "postgres";

        private static readonly object Gate = new object();
        private static Func<IStoreBackend>? _factory;
        private static IStoreBackend? _postgres;

        /// <summary>The store; a folder store is not checked for existence here (see <see cref="IAgentStateStore.ThrowIfMissing"/>).</summary>
        /// <exception cref="StoreBackendUnavailableException">A PostgreSQL store on a runtime, or in a host, that cannot load its backend.</exception>
        public static IAgentStateStore Open(StoreLocator locator, StoreOpenOptions? options = null)
        {
            options ??= new StoreOpenOptions();
            return locator.Kind == StoreKind.Folder
                ? new AgentStateStore(locator.Text, options.LockTimeout, options.Clock)
                : Postgres().OpenAgentStates(locator.Text, options);
        }

        /// <summary>
        /// Registers how this host makes the PostgreSQL backend; called once at start-up, before any PostgreSQL store is
        /// opened. A later call before first use replaces the factory; after first use the backend made stays.
        /// </summary>
        public static void UsePostgres(Func<IStoreBackend> factory)
        {
            lock (Gate)
            {
                _factory = factory ?? throw new ArgumentNullException(nameof(factory));
            }
        }

        /// <summary>Whether a factory for the PostgreSQL backend is registered.</summary>
        public static bool PostgresRegistered
        {
            get
            {
                lock (Gate)
                {
                    return _factory != null;
                }
            }
        }

        /// <summary>The PostgreSQL backend, made on first use.</summary>
        /// <exception cref="StoreBackendUnavailableException">On .NET Framework, or when the host registered no backend or its backend cannot be loaded.</exception>
        public static IStoreBackend Postgres()
        {
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase))
            {
                throw new StoreBackendUnavailableException(
                    "PostgreSQL stores need PowerShell 7 (or the agentstate CLI on .NET 8): the PostgreSQL backend does not run on Windows PowerShell 5.1 ("
                    + RuntimeInformation.FrameworkDescription + "). Folder stores work here as ever.");
            }

            lock (Gate)
            {
                if (_postgres == null)
                {
                    Func<IStoreBackend> factory = _factory
                        ?? throw new StoreBackendUnavailableException($"This program has no PostgreSQL backend ({PostgresAssemblyName}): only folder stores work in it.");
                    _postgres = factory();
                }

                return _postgres;
            }
        }
    }
}
