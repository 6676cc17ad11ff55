using System;
using System.Globalization;
using System.IO;

namespace AgentState.Cli.Commands
{
    /// <summary>The process that ran this one: the script that will hold a claim made by a one-shot <c>queue claim</c>.</summary>
    internal static class ParentProcess
    {
        /// <summary>The parent's pid, from /proc on Linux; elsewhere the caller must say (--holder-pid).</summary>
        public static int Id()
        {
            try
            {
                // /proc/self/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so split after the last ')'.
                string stat = File.ReadAllText("/proc/self/stat");
                string[] fields = stat.Substring(stat.LastIndexOf(')') + 2).Split(' ');
                return int.Parse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is FormatException || ex is IndexOutOfRangeException)
            {
                throw new UsageException("the parent process cannot be found on this system: give --holder-pid.");
            }
        }
    }
}
