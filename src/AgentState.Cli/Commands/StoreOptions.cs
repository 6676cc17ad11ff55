using System;
using System.CommandLine;
using AgentState.Agents;
using AgentState.Stores;

namespace AgentState.Cli.Commands
{
    /// <summary>The --root and --store options every state command shares, and the store they open.</summary>
    internal static class StoreOptions
    {
        public static Option<string?> Root() => new Option<string?>("--root")
        {
            Description = "The store's folder (it holds state/). Default: $AGENTSTATE_STORE, else $AGENTSTATE_ROOT, else ./agent-deployment.",
        };

        public static Option<string?> Store() => new Option<string?>("--store")
        {
            Description = "The store: a folder, or a PostgreSQL connection string or URI (postgresql://user@host/db?schema=agentstate). Default: $AGENTSTATE_STORE, else the folder of --root.",
        };

        public static Option<bool> Init() => new Option<bool>("--init")
        {
            Description = "Create or migrate a PostgreSQL store's schema if it needs it (as 'agentstate db init' does; also $AGENTSTATE_STORE_INIT=1).",
        };

        /// <summary>The options that name a store, added to a command in one go.</summary>
        public sealed class Naming
        {
            public Option<string?> RootOption { get; } = Root();

            public Option<string?> StoreOption { get; } = Store();

            public Option<bool> InitOption { get; } = Init();

            public void AddTo(Command command)
            {
                command.Options.Add(RootOption);
                command.Options.Add(StoreOption);
                command.Options.Add(InitOption);
            }

            public IAgentStateStore Open(ParseResult parsed, double lockTimeoutSeconds = 10) =>
                StoreOptions.Open(parsed.GetValue(RootOption), parsed.GetValue(StoreOption), parsed.GetValue(InitOption), lockTimeoutSeconds);

            public IAgentStateStore OpenExisting(ParseResult parsed, double lockTimeoutSeconds = 10)
            {
                IAgentStateStore store = Open(parsed, lockTimeoutSeconds);
                store.ThrowIfMissing();
                return store;
            }
        }

        /// <summary>The store --store (or --root, the folder form) names, else $AGENTSTATE_STORE, else the default folder.</summary>
        public static IAgentStateStore Open(string? root, string? store, bool init, double lockTimeoutSeconds = 10)
        {
            if (!string.IsNullOrEmpty(root) && !string.IsNullOrEmpty(store))
            {
                throw new UsageException("--root and --store both name the store; give one of them.");
            }

            try
            {
                // A malformed connection string is a usage error (exit 2), as a malformed path is.
                return AgentStores.Open(StoreLocator.Resolve(store ?? root, Environment.CurrentDirectory), new StoreOpenOptions
                {
                    LockTimeout = TimeSpan.FromSeconds(lockTimeoutSeconds),
                    Initialize = init || StoreOpenOptions.InitializeFromEnvironment(),
                    Retrying = TellRetry,
                });
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }
        }

        /// <summary>A command that seems to hang while the server restarts says why, on stderr, away from its output.</summary>
        public static void TellRetry(string message) => Console.Error.WriteLine("agentstate: " + message);

        /// <summary>Where an agent's record is or would be: its state file, or the store's location and its id.</summary>
        public static string PlaceOf(IAgentStateStore store, string agentId) =>
            store is AgentStateStore folder ? folder.PathFor(agentId) : store.Location + "#" + agentId;

        public static Option<double> LockTimeout() => new Option<double>("--lock-timeout")
        {
            Description = "Seconds to wait for the state file's lock (default 10).",
            DefaultValueFactory = _ => 10,
        };

        public static Option<string> Status(string name, string description)
        {
            var option = new Option<string>(name) { Description = description };
            option.AcceptOnlyFromAmong("pending", "spawning", "running", "completed", "failed", "cancelled");
            return option;
        }

        public static AgentStatus? ParseStatus(string? text) => AgentStatuses.TryParse(text, out AgentStatus status) ? status : (AgentStatus?)null;

        /// <summary>A corrupt file is never skipped silently: one warning line on stderr each.</summary>
        public static void Warn(AgentStateEntry entry) => Console.Error.WriteLine("agentstate: warning: " + entry.Corruption!.Message);
    }
}
