using System;
using System.CommandLine;
using AgentState.Agents;

namespace AgentState.Cli.Commands
{
    /// <summary>The --root option every state command shares, and the store it opens.</summary>
    internal static class StoreOptions
    {
        public static Option<string?> Root() => new Option<string?>("--root")
        {
            Description = "The store's folder (it holds state/). Default: $AGENTSTATE_ROOT, else ./agent-deployment.",
        };

        public static AgentStateStore Open(string? root, double lockTimeoutSeconds = 10) =>
            new AgentStateStore(root ?? AgentStateStore.DefaultRoot(Environment.CurrentDirectory), TimeSpan.FromSeconds(lockTimeoutSeconds));

        public static Option<double> LockTimeout() => new Option<double>("--lock-timeout")
        {
            Description = "Seconds to wait for the state file's lock (default 10).",
            DefaultValueFactory = _ => 10,
        };

        /// <summary>The store, which must exist: a wrong --root fails (exit 1) instead of reporting an empty store.</summary>
        public static AgentStateStore OpenExisting(string? root, double lockTimeoutSeconds = 10)
        {
            AgentStateStore store = Open(root, lockTimeoutSeconds);
            store.ThrowIfMissing();
            return store;
        }

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
