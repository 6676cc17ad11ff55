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

        /// <summary>
        /// The native agentstate under test when AGENTSTATE_TEST_CLI names one (.ci/run runs the CLI tests a second time
        /// against the NativeAOT build that way); null for the framework-dependent agentstate.dll run through dotnet.
        /// </summary>
        public static string? Native { get; } = NativeProgram();

        /// <summary>The program and the arguments before the CLI's own: <c>dotnet agentstate.dll</c>, or the native binary.</summary>
        public static IReadOnlyList<string> Command { get; } = Native != null ? new[] { Native } : new[] { DotNet, RepoPaths.CliAssembly };

        private static string? NativeProgram()
        {
            string? path = Environment.GetEnvironmentVariable("AGENTSTATE_TEST_CLI");
            if (string.IsNullOrEmpty(path))
            {
                return null;
            }

            // Named but missing is a broken run, not a reason to test the other build quietly.
            return File.Exists(path) ? Path.GetFullPath(path) : throw new FileNotFoundException("AGENTSTATE_TEST_CLI names no file", path);
        }

        public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

        /// <summary>Starts the CLI with redirected streams; the caller feeds stdin and waits or kills.</summary>
        public static Process Start(IEnumerable<string> arguments, string? workingDirectory = null, IEnumerable<string>? prefix = null)
        {
            var info = new ProcessStartInfo(Command[0])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            };
            if (prefix != null)
            {
                // Run under another program (setpriv to drop root): it execs the CLI itself.
                info.FileName = "setpriv";
                foreach (string p in prefix)
                {
                    info.ArgumentList.Add(p);
                }

                info.ArgumentList.Add(Command[0]);
            }

            for (int i = 1; i < Command.Count; i++)
            {
                info.ArgumentList.Add(Command[i]);
            }

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
