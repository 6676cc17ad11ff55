using System;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using AgentState.Queue;
using AgentState.Stores;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>
    /// Opens the queue a work-item cmdlet uses: -Store, else -Queue (a folder through the provider, or a PostgreSQL
    /// connection; piped items bring theirs), else $env:AGENTSTATE_QUEUE, else $env:AGENTSTATE_STORE when it names
    /// PostgreSQL, else ./.agentstate/queue under $PWD. A PostgreSQL queue's password-less location, as its items carry
    /// it, is opened with the connection this session gave for it (<see cref="GivenConnections"/>).
    /// </summary>
    internal static class WorkQueueResolver
    {
        // A pipeline of items calls ProcessRecord once per item: a PostgreSQL queue opened for the first is kept for the
        // rest of that cmdlet's run (same connection text), so that its schema is checked once, not once per item.
        private static readonly ConditionalWeakTable<PSCmdlet, Opened> OpenedBy = new ConditionalWeakTable<PSCmdlet, Opened>();

        /// <summary>
        /// The queue; null after a non-terminating error when the folder is not a file-system path, the connection is
        /// malformed, or a PostgreSQL queue cannot be opened here (Windows PowerShell 5.1).
        /// </summary>
        public static IWorkQueue? Open(PSCmdlet cmdlet, string? queue, string? store)
        {
            string? given = !string.IsNullOrEmpty(store) ? store : queue;
            string target = "work queue";
            try
            {
                StoreLocator locator;
                if (!string.IsNullOrEmpty(given) && !StoreLocator.IsPostgres(given!))
                {
                    string? folder = new ProviderPathResolver(cmdlet).ResolveFolder(given!);
                    if (folder == null)
                    {
                        return null;
                    }

                    locator = StoreLocator.Folder(folder);
                }
                else
                {
                    locator = WorkQueues.Resolve(given == null ? null : GivenConnections.Recall(given), cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath);
                }

                // Never the connection text as an error's target: it may hold a password.
                target = locator.ToString();
                if (locator.Kind == StoreKind.Postgres)
                {
                    PostgresBackendLoader.Register();
                }

                if (locator.Kind == StoreKind.Postgres && OpenedBy.TryGetValue(cmdlet, out Opened? before) && before.Connection == locator.Text)
                {
                    return before.Queue;
                }

                IWorkQueue opened = WorkQueues.Open(locator, new StoreOpenOptions
                {
                    Initialize = StoreOpenOptions.InitializeFromEnvironment(),
                    Retrying = cmdlet.WriteVerbose,
                });
                if (locator.Kind == StoreKind.Postgres)
                {
                    GivenConnections.Remember(opened.Location, locator.Text);
                    OpenedBy.Remove(cmdlet);
                    OpenedBy.Add(cmdlet, new Opened(locator.Text, opened));
                }

                return opened;
            }
            catch (Exception ex) when (StoreOpenErrors.For(ex, target) is ErrorRecord error)
            {
                cmdlet.WriteError(error);
                return null;
            }
            catch (Exception ex) when (WorkQueueErrors.For(ex, target) is ErrorRecord error)
            {
                cmdlet.WriteError(error);
                return null;
            }
        }

        private sealed class Opened
        {
            public Opened(string connection, IWorkQueue queue)
            {
                Connection = connection;
                Queue = queue;
            }

            public string Connection { get; }

            public IWorkQueue Queue { get; }
        }
    }
}
