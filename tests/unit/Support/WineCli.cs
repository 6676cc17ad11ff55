using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace AgentState.Tests.Support
{
    /// <summary>
    /// The win-x64 agentstate.exe run under Wine, so that the Windows half of the platform seam runs for real.
    /// .ci/run publishes it to out/win-x64 (or AGENTSTATE_WINE_CLI names it) and starts a persistent wineserver.
    /// </summary>
    public static class WineCli
    {
        public static string Executable { get; } =
            Environment.GetEnvironmentVariable("AGENTSTATE_WINE_CLI") is { Length: > 0 } exe ? exe : Path.Combine(RepoPaths.Root, "out", "win-x64", "agentstate.exe");

        /// <summary>Debian installs the 64-bit loader as wine (wine64 only with the wine64 package's alternatives); either runs a win-x64 program.</summary>
        public static string? Wine { get; } = FindWine();

        /// <summary>Why the Wine tests cannot run here; null when they can.</summary>
        public static string? SkipReason { get; } =
            Wine == null ? "Wine is not installed (.ci/run installs Debian's wine64 and publishes the win-x64 CLI)"
            : !File.Exists(Executable) ? $"no win-x64 agentstate.exe at '{Executable}' (.ci/run publishes it; see docs/wine.md)"
            : null;

        /// <summary>The name a Windows program gives a Unix path: Wine maps drive Z: to the Unix root.</summary>
        public static string WindowsPath(string unixPath) => "Z:" + unixPath.Replace('/', '\\');

        public static Process Start(IEnumerable<string> arguments, string? workingDirectory = null)
        {
            var info = new ProcessStartInfo(Wine ?? throw new InvalidOperationException(SkipReason))
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            };
            info.ArgumentList.Add(Executable);
            foreach (string argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            // Wine's own diagnostics (fixme lines, the missing wine32 notice) would mix into the CLI's standard error.
            info.Environment["WINEDEBUG"] = "-all";
            return Process.Start(info) ?? throw new InvalidOperationException("could not start wine");
        }

        public static CliProcess.Result Run(params string[] arguments) => Run(arguments, stdin: null);

        public static CliProcess.Result Run(IEnumerable<string> arguments, byte[]? stdin, string? workingDirectory = null)
        {
            using Process process = Start(arguments, workingDirectory);
            return CliProcess.Finish(process, stdin, "agentstate.exe under Wine " + string.Join(' ', arguments));
        }

        private static string? FindWine()
        {
            if (Environment.GetEnvironmentVariable("AGENTSTATE_WINE") is { Length: > 0 } named)
            {
                return named;
            }

            foreach (string name in new[] { "wine64", "wine" })
            {
                foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (File.Exists(Path.Combine(folder, name)))
                    {
                        return Path.Combine(folder, name);
                    }
                }
            }

            return null;
        }
    }

    /// <summary>A test of agentstate.exe under Wine: reported as skipped, with the reason, where it cannot run.</summary>
    public sealed class WineFactAttribute : FactAttribute
    {
        public WineFactAttribute()
        {
            if (WineCli.SkipReason is string reason)
            {
                Skip = reason;
            }
        }
    }
}
