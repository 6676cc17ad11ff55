using System;
using System.IO;
using AgentState.Queue;

namespace AgentState.Stores
{
    /// <summary>
    /// Opens the work queue a locator names: a folder is the engine's own <see cref="FolderWorkQueue"/>; a PostgreSQL
    /// connection is the queue in that database, from the backend registered with <see cref="AgentStores.UsePostgres"/>.
    /// </summary>
    public static class WorkQueues
    {
        /// <summary>The environment variable that names the default queue (a folder or a PostgreSQL connection).</summary>
        public const string QueueVariable = "AGENTSTATE_QUEUE";

        /// <summary>The queue.</summary>
        /// <exception cref="StoreBackendUnavailableException">A PostgreSQL queue on a runtime, or in a host, that cannot load its backend.</exception>
        public static IWorkQueue Open(StoreLocator locator, StoreOpenOptions? options = null)
        {
            options ??= new StoreOpenOptions();
            return locator.Kind == StoreKind.Folder
                ? new FolderWorkQueue(locator.Text, options.LockTimeout, options.Clock, options.LeaseHolderIsDead)
                : AgentStores.Postgres().OpenWorkQueue(locator.Text, options);
        }

        /// <summary>
        /// The queue named by <paramref name="given"/> (a folder or a PostgreSQL connection), else by $AGENTSTATE_QUEUE
        /// (either form), else by $AGENTSTATE_STORE when that names PostgreSQL (a folder there is the agent-state folder,
        /// not a queue), else the folder ./.agentstate/queue under <paramref name="currentDirectory"/>.
        /// </summary>
        public static StoreLocator Resolve(string? given, string currentDirectory)
        {
            if (!string.IsNullOrWhiteSpace(given))
            {
                return StoreLocator.Parse(given!, currentDirectory);
            }

            string? queue = Environment.GetEnvironmentVariable(QueueVariable);
            if (!string.IsNullOrWhiteSpace(queue))
            {
                return StoreLocator.Parse(queue!, currentDirectory);
            }

            string? store = Environment.GetEnvironmentVariable(StoreLocator.StoreVariable);
            return !string.IsNullOrWhiteSpace(store) && StoreLocator.IsPostgres(store!)
                ? StoreLocator.Parse(store!, currentDirectory)
                : StoreLocator.Folder(Path.Combine(currentDirectory, ".agentstate", "queue"));
        }
    }
}
