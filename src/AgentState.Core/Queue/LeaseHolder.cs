using System;
using System.Diagnostics;
using AgentState.Agents;

namespace AgentState.Queue
{
    /// <summary>
    /// The process that holds a claim. On its own host a holder whose pid is gone, or is now another process (a
    /// different start time), is dead and its items return at once; elsewhere only the lease's expiry counts.
    /// </summary>
    public sealed class LeaseHolder
    {
        /// <summary>A holder recorded as <paramref name="processId"/>, started at <paramref name="startTime"/>, on the host whose hash is <paramref name="hostHash"/>.</summary>
        public LeaseHolder(int processId, DateTimeOffset? startTime, string hostHash)
        {
            ProcessId = processId;
            StartTime = startTime;
            HostHash = hostHash;
        }

        /// <summary>The holder's process id.</summary>
        public int ProcessId { get; }

        /// <summary>When it started, to tell it from a later process given the same id; null if unknown.</summary>
        public DateTimeOffset? StartTime { get; }

        /// <summary>Eight hex digits naming the host (a hash: host names may hold characters a file name may not).</summary>
        public string HostHash { get; }

        /// <summary>This host's hash.</summary>
        public static string ThisHost { get; } = HashHost(ProcessIdentity.HostName);

        /// <summary>The process running this code.</summary>
        public static LeaseHolder Current { get; } = ForProcess(CurrentProcessId());

        /// <summary>The process <paramref name="processId"/> on this host, with its start time when it can be read.</summary>
        public static LeaseHolder ForProcess(int processId) =>
            new LeaseHolder(processId, ProcessIdentity.StartTimeOf(processId), ThisHost);

        /// <summary>True when the holder is on this host and its process is gone or has been replaced.</summary>
        public bool IsKnownDead() =>
            string.Equals(HostHash, ThisHost, StringComparison.OrdinalIgnoreCase) && !ProcessIdentity.IsAlive(ProcessId, StartTime, null);

        /// <summary>FNV-1a over the host's name, upper-cased: stable across runs and runtimes, unlike string.GetHashCode.</summary>
        public static string HashHost(string host)
        {
            uint hash = 2166136261;
            foreach (char c in host.ToUpperInvariant())
            {
                hash = (hash ^ c) * 16777619;
            }

            return hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        }

        private static int CurrentProcessId()
        {
            using (Process current = Process.GetCurrentProcess())
            {
                return current.Id;
            }
        }
    }
}
