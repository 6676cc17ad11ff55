using System;
using System.Management.Automation;
using AgentState.Agents;
using AgentState.Stores;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>
    /// Opens the store a state cmdlet works on: -Store (a folder or a PostgreSQL connection), else -Root (a folder
    /// through the provider; a piped PostgreSQL record's Root is its store's location), else $env:AGENTSTATE_STORE, else
    /// the default folder under $PWD.
    /// </summary>
    internal static class AgentStoreResolver
    {
        /// <summary>
        /// The store; null after a non-terminating error when the folder is not a file-system path, when a PostgreSQL store
        /// cannot be opened here, or, unless <paramref name="create"/> (New-AgentState makes the folders), when the store
        /// does not exist.
        /// </summary>
        public static IAgentStateStore? Open(PSCmdlet cmdlet, string? root, string? store = null, bool create = false)
        {
            string? given = !string.IsNullOrEmpty(store) ? store : !string.IsNullOrEmpty(root) ? root : Environment.GetEnvironmentVariable(StoreLocator.StoreVariable);
            IAgentStateStore opened;

            // Never the connection text as an error's target: it may hold a password.
            string? target = !string.IsNullOrEmpty(given) && StoreLocator.IsPostgres(given!) ? "PostgreSQL store" : given;
            try
            {
                if (!string.IsNullOrEmpty(given) && StoreLocator.IsPostgres(given!))
                {
                    PostgresBackendLoader.Register();

                    // A piped record's Root is its store's location without the password: opened with the connection this
                    // session gave for it, as the queue cmdlets do.
                    StoreLocator locator = StoreLocator.Parse(GivenConnections.Recall(given!), string.Empty);
                    opened = AgentStores.Open(locator, new StoreOpenOptions
                    {
                        Initialize = StoreOpenOptions.InitializeFromEnvironment(),
                        Retrying = cmdlet.WriteVerbose,
                    });
                    GivenConnections.Remember(opened.Location, locator.Text);
                    target = opened.Location;
                }
                else
                {
                    string? folder = string.IsNullOrEmpty(given)
                        ? AgentStateStore.DefaultRoot(cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath)
                        : new ProviderPathResolver(cmdlet).ResolveFolder(given!);
                    if (folder == null)
                    {
                        return null;
                    }

                    opened = new AgentStateStore(folder);
                }

                if (!create)
                {
                    opened.ThrowIfMissing();
                }
            }
            catch (Exception ex) when (StoreOpenErrors.For(ex, target) is ErrorRecord error)
            {
                cmdlet.WriteError(error);
                return null;
            }
            catch (Exception ex) when (EngineErrors.For(ex, target ?? string.Empty) is ErrorRecord error)
            {
                cmdlet.WriteError(error);
                return null;
            }

            return opened;
        }

        /// <summary>Where an agent's record is or would be: its state file, or the store's location and its id.</summary>
        public static string PlaceOf(IAgentStateStore store, string agentId) =>
            store is AgentStateStore folder ? folder.PathFor(agentId) : store.Location + "#" + agentId;

        /// <summary>Reports a corrupt state file and lets the caller go on with the rest.</summary>
        public static void ReportCorrupt(PSCmdlet cmdlet, AgentStateEntry entry) =>
            cmdlet.WriteError(EngineErrors.For(entry.Corruption!, entry.Path)!);
    }
}
