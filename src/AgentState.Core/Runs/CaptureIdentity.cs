using System;
using AgentState.Agents;
using AgentState.Platform;

namespace AgentState.Runs
{
    /// <summary>Whether a recorded capturing process still runs: the agent store's liveness rule (pid, start time, host).</summary>
    internal static class CaptureIdentity
    {
        private static readonly TimeSpan StartTimeTolerance = TimeSpan.FromSeconds(1);

        public static bool IsAlive(int? pid, DateTimeOffset? startedAt, string? host)
        {
            if (pid is not int id)
            {
                return false;
            }

            if (host != null && !string.Equals(host, ProcessIdentity.HostName, StringComparison.OrdinalIgnoreCase))
            {
                return true; // Another machine's process: it cannot be asked, so it is not declared dead.
            }

            if (!NativePlatform.Current.ProcessExists(id))
            {
                return false;
            }

            if (startedAt is DateTimeOffset recorded)
            {
                DateTimeOffset? actual = ProcessIdentity.StartTimeOf(id);
                return actual == null || (actual.Value - recorded).Duration() <= StartTimeTolerance;
            }

            return true;
        }
    }
}
