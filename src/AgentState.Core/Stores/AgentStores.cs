using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using AgentState.Agents;

namespace AgentState.Stores
{
    /// <summary>
    /// Opens the agent state store a locator names. A folder is the engine's own <see cref="AgentStateStore"/>; a
    /// PostgreSQL store comes from AgentState.Postgres, loaded by name only then, so that the netstandard2.0 engine, and
    /// Windows PowerShell 5.1 with it, never load Npgsql for a folder store.
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
        private static IStoreBackend? _postgres;

        /// <summary>The store; a folder store is not checked for existence here (see <see cref="IAgentStateStore.ThrowIfMissing"/>).</summary>
        /// <exception cref="StoreBackendUnavailableException">A PostgreSQL store on a runtime, or in a layout, that cannot load its backend.</exception>
        public static IAgentStateStore Open(StoreLocator locator, StoreOpenOptions? options = null)
        {
            options ??= new StoreOpenOptions();
            return locator.Kind == StoreKind.Folder
                ? new AgentStateStore(locator.Text, options.LockTimeout, options.Clock)
                : Postgres().OpenAgentStates(locator.Text, options);
        }

        /// <summary>The PostgreSQL backend, loaded on first use.</summary>
        /// <exception cref="StoreBackendUnavailableException">On .NET Framework, or when AgentState.Postgres cannot be loaded.</exception>
        public static IStoreBackend Postgres()
        {
            lock (Gate)
            {
                return _postgres ??= LoadPostgres();
            }
        }

        private static IStoreBackend LoadPostgres()
        {
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase))
            {
                throw new StoreBackendUnavailableException(
                    "PostgreSQL stores need PowerShell 7 (or the agentstate CLI on .NET 8): the PostgreSQL backend does not run on Windows PowerShell 5.1 ("
                    + RuntimeInformation.FrameworkDescription + "). Folder stores work here as ever.");
            }

            Assembly assembly;
            try
            {
                // By name first: the CLI lists it among its dependencies, and a module loaded into a load context of its own
                // may resolve it there. Otherwise from the file, whose own folder then supplies Npgsql.
                assembly = Assembly.Load(new AssemblyName(PostgresAssemblyName));
            }
            catch (FileNotFoundException)
            {
                string engineFolder = Path.GetDirectoryName(typeof(AgentStores).Assembly.Location) ?? string.Empty;
                string beside = Path.Combine(engineFolder, PostgresFolderName, PostgresAssemblyName + ".dll");
                if (!File.Exists(beside))
                {
                    beside = Path.Combine(engineFolder, PostgresAssemblyName + ".dll");
                }

                if (!File.Exists(beside))
                {
                    throw new StoreBackendUnavailableException($"The PostgreSQL backend is not installed: neither '{Path.Combine(engineFolder, PostgresFolderName, PostgresAssemblyName + ".dll")}' nor '{beside}' exists.");
                }

                try
                {
                    assembly = Assembly.LoadFrom(beside);
                }
                catch (Exception ex) when (ex is IOException || ex is BadImageFormatException)
                {
                    throw new StoreBackendUnavailableException($"The PostgreSQL backend '{beside}' cannot be loaded: {ex.Message}", ex);
                }
            }

            Type? type = assembly.GetType(PostgresBackendType, throwOnError: false);
            if (type == null || !typeof(IStoreBackend).IsAssignableFrom(type))
            {
                throw new StoreBackendUnavailableException($"'{assembly.Location}' has no {PostgresBackendType} implementing {nameof(IStoreBackend)}; it does not match this engine.");
            }

            return (IStoreBackend)Activator.CreateInstance(type)!;
        }
    }
}
