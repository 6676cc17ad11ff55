using System;
using System.Diagnostics;
using AgentState.Platform;

namespace AgentState.Agents
{
    /// <summary>Whether a recorded process is still the one that was recorded.</summary>
    public static class ProcessIdentity
    {
        private static readonly TimeSpan StartTimeTolerance = TimeSpan.FromSeconds(1);

        /// <summary>This machine's name, as recorded in state files.</summary>
        public static string HostName { get; } = Environment.MachineName;

        /// <summary>When the process with this id started, if it runs on this machine and may be asked.</summary>
        public static DateTimeOffset? StartTimeOf(int processId)
        {
            try
            {
                using (Process process = Process.GetProcessById(processId))
                {
                    return new DateTimeOffset(process.StartTime);
                }
            }
            catch (Exception ex) when (ex is ArgumentException || ex is InvalidOperationException || ex is System.ComponentModel.Win32Exception || ex is NotSupportedException)
            {
                return null;
            }
        }

        /// <summary>
        /// True when the record's pid runs on this machine and, where the record holds its start time, is the
        /// same process (not a later one that reused the id). False when it was recorded on another host.
        /// </summary>
        public static bool IsAlive(AgentStateRecord record) =>
            record.ProcessId is int pid && IsAlive(pid, record.ProcessStartTime, record.Host);

        /// <summary>
        /// True when <paramref name="processId"/> runs on this machine (when <paramref name="host"/> is null or names it)
        /// and, where <paramref name="startTime"/> is known, is the same process, not a later one that reused the id.
        /// </summary>
        public static bool IsAlive(int processId, DateTimeOffset? startTime, string? host)
        {
            int pid = processId;
            if (host != null && !string.Equals(host, HostName, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (!NativePlatform.Current.ProcessExists(pid))
            {
                return false;
            }

            if (startTime is DateTimeOffset recorded)
            {
                DateTimeOffset? actual = StartTimeOf(pid);
                return actual == null || (actual.Value - recorded).Duration() <= StartTimeTolerance;
            }

            return true;
        }
    }
}
