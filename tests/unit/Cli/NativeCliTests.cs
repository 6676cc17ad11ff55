using System;
using System.Diagnostics;
using System.IO;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Cli
{
    /// <summary>Runs only when AGENTSTATE_TEST_CLI names the NativeAOT build: it is what the other CLI tests then run.</summary>
    public sealed class NativeFactAttribute : FactAttribute
    {
        public NativeFactAttribute()
        {
            if (CliProcess.Native == null)
            {
                Skip = "AGENTSTATE_TEST_CLI does not name a native agentstate (.ci/run sets it after ./build.ps1 -Task Native)";
            }
        }
    }

    public class NativeCliTests
    {
        [NativeFact]
        public void The_program_under_test_is_the_native_build_and_works_alone()
        {
            // Else the other CLI tests would pass against the wrong program: the framework-dependent apphost has its
            // agentstate.dll beside it, a self-contained (non-AOT) publish its runtime (libcoreclr.so).
            string beside = Path.GetDirectoryName(CliProcess.Native)!;
            foreach (string managed in new[] { "agentstate.dll", "libcoreclr.so", "coreclr.dll" })
            {
                Assert.False(File.Exists(Path.Combine(beside, managed)), $"{managed} lies beside {CliProcess.Native}: it is not the NativeAOT build");
            }

            using var folder = new TestFolder();
            var info = new ProcessStartInfo(CliProcess.Native!)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = folder.Path,
            };
            foreach (string a in new[] { "write", "s.json", "--value", "{\"a\":1}" })
            {
                info.ArgumentList.Add(a);
            }

            info.Environment["PATH"] = "/nonexistent";
            info.Environment["DOTNET_ROOT"] = "/nonexistent";
            info.Environment.Remove("DOTNET_HOST_PATH");
            using Process process = Process.Start(info)!;
            CliProcess.Result result = CliProcess.Finish(process, stdin: null, "native agentstate write");

            Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.StandardError}");
            Assert.Equal("{\"a\":1}", File.ReadAllText(Path.Combine(folder.Path, "s.json")).TrimEnd('\n'));
        }
    }
}
