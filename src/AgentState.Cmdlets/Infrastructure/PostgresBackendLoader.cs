using System;
using System.IO;
using System.Reflection;
using AgentState.Stores;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>
    /// Makes the PostgreSQL backend for the module: AgentState.Postgres (net8.0, Npgsql) is loaded by name only when a
    /// PostgreSQL store is named. The netstandard2.0 cmdlets cannot reference it, and Windows PowerShell 5.1 must never
    /// load it; the engine refuses PostgreSQL there before asking for it.
    /// </summary>
    internal static class PostgresBackendLoader
    {
        /// <summary>Registers <see cref="Load"/> with the engine unless a backend is registered already.</summary>
        public static void Register()
        {
            if (!AgentStores.PostgresRegistered)
            {
                AgentStores.UsePostgres(Load);
            }
        }

        private static IStoreBackend Load()
        {
            Assembly assembly;
            try
            {
                // By name first: the engine lives in the module's own load context on PowerShell 7, which finds the
                // backend in Dependencies/postgres. Else from the file, whose own folder then supplies Npgsql.
                assembly = Assembly.Load(new AssemblyName(AgentStores.PostgresAssemblyName));
            }
            catch (FileNotFoundException)
            {
                string engineFolder = Path.GetDirectoryName(typeof(AgentStores).Assembly.Location) ?? string.Empty;
                string expected = Path.Combine(engineFolder, AgentStores.PostgresFolderName, AgentStores.PostgresAssemblyName + ".dll");
                if (!File.Exists(expected))
                {
                    throw new StoreBackendUnavailableException($"The PostgreSQL backend is not installed: '{expected}' does not exist.");
                }

                try
                {
                    assembly = Assembly.LoadFrom(expected);
                }
                catch (Exception ex) when (ex is IOException || ex is BadImageFormatException)
                {
                    throw new StoreBackendUnavailableException($"The PostgreSQL backend '{expected}' cannot be loaded: {ex.Message}", ex);
                }
            }

            Type? type = assembly.GetType(AgentStores.PostgresBackendType, throwOnError: false);
            if (type == null || !typeof(IStoreBackend).IsAssignableFrom(type))
            {
                throw new StoreBackendUnavailableException($"'{assembly.Location}' has no {AgentStores.PostgresBackendType} implementing {nameof(IStoreBackend)}; it does not match this engine.");
            }

            return (IStoreBackend)Activator.CreateInstance(type)!;
        }
    }
}
