using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace AgentState.Tests.Support
{
    /// <summary>One file-system call the CLI process made, as strace saw it: the call and the path(s) it touched.</summary>
    public sealed record Syscall(string Name, string Path, string? Destination = null)
    {
        public override string ToString() => Destination == null ? $"{Name}({Path})" : $"{Name}({Path} -> {Destination})";
    }

    /// <summary>
    /// Runs the agentstate CLI under strace and returns its flushes, renames and writes, in order: what reaches the
    /// kernel, not what the engine meant to do. A test of durability cannot rest on the engine's own account of it.
    /// </summary>
    public static class SyscallTrace
    {
        private static readonly string[] Traced = { "fsync", "fdatasync", "rename", "renameat", "renameat2", "write", "pwrite64" };
        private static readonly Regex Call = new Regex(@"^\d+\s+(?<name>\w+)\((?<args>.*)$", RegexOptions.Compiled);
        private static readonly Regex FdPath = new Regex(@"^-?\d+<(?<path>[^>]*)>", RegexOptions.Compiled);
        private static readonly Regex Quoted = new Regex("\"(?<s>(?:[^\"\\\\]|\\\\.)*)\"", RegexOptions.Compiled);

        /// <summary>Null when strace can trace a child here; else why not (the tests that need it are skipped).</summary>
        public static string? Unavailable { get; } = Probe();

        /// <summary>The calls on paths under <paramref name="folder"/>, in the order the kernel saw them.</summary>
        public static IReadOnlyList<Syscall> Run(string folder, string[] arguments, byte[]? stdin = null)
        {
            string log = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "agentstate-strace-" + Guid.NewGuid().ToString("n") + ".log");
            var info = new ProcessStartInfo("strace")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string a in new[] { "-f", "-y", "-qq", "-s", "0", "-o", log, "-e", "trace=" + string.Join(',', Traced) }.Concat(CliProcess.Command).Concat(arguments))
            {
                info.ArgumentList.Add(a);
            }

            info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            try
            {
                using Process process = Process.Start(info)!;
                CliProcess.Result result = CliProcess.Finish(process, stdin, "agentstate under strace " + string.Join(' ', arguments));
                Assert.True(result.ExitCode == 0, $"agentstate {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardError}");
                return Parse(File.ReadAllLines(log), System.IO.Path.GetFullPath(folder));
            }
            finally
            {
                File.Delete(log);
            }
        }

        private static IReadOnlyList<Syscall> Parse(IEnumerable<string> lines, string folder)
        {
            var calls = new List<Syscall>();
            foreach (string line in lines)
            {
                Match call = Call.Match(line);
                if (!call.Success)
                {
                    continue; // "<... resumed>" halves and exits: the call was recorded when it started.
                }

                string name = call.Groups["name"].Value, args = call.Groups["args"].Value;
                Syscall? seen = null;
                if (name.StartsWith("rename", StringComparison.Ordinal))
                {
                    string[] paths = Quoted.Matches(args).Select(m => m.Groups["s"].Value).ToArray();
                    if (paths.Length == 2)
                    {
                        seen = new Syscall("rename", paths[0], paths[1]);
                    }
                }
                else if (FdPath.Match(args) is { Success: true } fd)
                {
                    seen = new Syscall(name == "pwrite64" ? "write" : name, fd.Groups["path"].Value);
                }

                if (seen != null && (Under(seen.Path, folder) || (seen.Destination != null && Under(seen.Destination, folder))))
                {
                    calls.Add(seen);
                }
            }

            return calls;
        }

        private static bool Under(string path, string folder) =>
            path == folder || path.StartsWith(folder + "/", StringComparison.Ordinal);

        private static string? Probe()
        {
            try
            {
                var info = new ProcessStartInfo("strace", "-qq -o /dev/null true") { RedirectStandardError = true, UseShellExecute = false };
                using Process process = Process.Start(info)!;
                string error = process.StandardError.ReadToEnd();
                process.WaitForExit();
                return process.ExitCode == 0 ? null : "strace cannot trace here: " + error.Trim();
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return "strace is not installed (.ci/run installs it from the Debian packages)";
            }
        }
    }

    /// <summary>A test that reads the CLI's system calls through strace: reported as skipped, not passed, without it.</summary>
    public sealed class StraceFactAttribute : FactAttribute
    {
        public StraceFactAttribute()
        {
            if (SyscallTrace.Unavailable is string why)
            {
                Skip = why;
            }
        }
    }
}
