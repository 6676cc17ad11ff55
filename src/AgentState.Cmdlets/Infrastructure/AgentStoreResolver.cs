using System;
using System.Management.Automation;
using AgentState.Agents;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>Opens the store a state cmdlet works on: -Root through the provider, else the default under $PWD.</summary>
    internal static class AgentStoreResolver
    {
        /// <summary>
        /// The store; null after a non-terminating error when -Root is not a file-system path or, unless
        /// <paramref name="create"/> (New-AgentState makes the folders), when the store's folder does not exist.
        /// </summary>
        public static AgentStateStore? Open(PSCmdlet cmdlet, string? root, bool create = false)
        {
            string? folder = string.IsNullOrEmpty(root)
                ? AgentStateStore.DefaultRoot(cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath)
                : new ProviderPathResolver(cmdlet).ResolveFolder(root!);
            if (folder == null)
            {
                return null;
            }

            var store = new AgentStateStore(folder);
            try
            {
                if (!create)
                {
                    store.ThrowIfMissing();
                }
            }
            catch (AgentStoreNotFoundException ex)
            {
                cmdlet.WriteError(EngineErrors.For(ex, ex.Root)!);
                return null;
            }

            return store;
        }

        /// <summary>Reports a corrupt state file and lets the caller go on with the rest.</summary>
        public static void ReportCorrupt(PSCmdlet cmdlet, AgentStateEntry entry) =>
            cmdlet.WriteError(EngineErrors.For(entry.Corruption!, entry.Path)!);
    }
}
