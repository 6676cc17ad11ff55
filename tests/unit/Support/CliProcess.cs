using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace AgentState.Tests.Support
{
    /// <summary>The agentstate CLI run as a real process.</summary>
    public static class CliProcess
    {
        public static string DotNet { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

        public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

        /// <summary>Starts the CLI with redirected streams; the caller feeds stdin and waits or kills.</summary>
        public static Process Start(IEnumerable<string> arguments, string? workingDirectory = null, IEnumerable<string>? prefix = null)
        {
            var info = new ProcessStartInfo(DotNet)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            };
            if (prefix != null)
            {
                // Run under another program (setpriv to drop root): it execs dotnet itself.
                info.FileName = "setpriv";
                foreach (string p in prefix)
                {
                    info.ArgumentList.Add(p);
                }

                info.ArgumentList.Add(DotNet);
            }

            info.ArgumentList.Add(RepoPaths.CliAssembly);
            foreach (string argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            return Process.Start(info) ?? throw new InvalidOperationException("could not start the CLI");
        }

        public static Result Run(params string[] arguments) => Run(arguments, stdin: null);

        public static Result Run(IEnumerable<string> arguments, byte[]? stdin, string? workingDirectory = null, IEnumerable<string>? prefix = null)
        {
            using Process process = Start(arguments, workingDirectory, prefix);
            return Finish(process, stdin, "agentstate " + string.Join(' ', arguments));
        }

        /// <summary>Feeds <paramref name="stdin"/>, closes it, and collects the exit code and both outputs within two minutes.</summary>
        public static Result Finish(Process process, byte[]? stdin, string what)
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (stdin != null)
            {
                process.StandardInput.BaseStream.Write(stdin);
            }

            process.StandardInput.Close();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException(what + " did not finish within two minutes");
            }

            // Not WaitForExit(): under Wine a service the process started may hold its output open long after it ended.
            if (!Task.WaitAll(new Task[] { output, error }, 30_000))
            {
                throw new TimeoutException(what + " ended but its output stayed open: a process it started holds the pipe "
                    + "(under Wine, start the services first, as .ci/run does with wineboot)");
            }

            return new Result(process.ExitCode, output.Result, error.Result);
        }
    }
}
