using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using AgentState.Runs;
using AgentState.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AgentState.Tests.Cli
{
    /// <summary>
    /// `agentstate run exec --progress` captures an agent that prints numbered lines without end; it reports on stderr how
    /// many bytes of stdout have reached the log. The test kills it with SIGKILL at a random moment counted from its
    /// first acknowledgement (so every kill lands while output streams, however busy the machine), and the agent with
    /// it, over and over, one iteration each. Every acknowledged byte must be in the log, the log must be exactly the
    /// agent's output up to some point, and the run must read back as interrupted, never corrupt.
    /// </summary>
    public sealed class RunCaptureCrashTests : IDisposable
    {
        private const int Kills = 100;
        private readonly TestFolder _folder = new TestFolder();
        private readonly ITestOutputHelper _output;

        public RunCaptureCrashTests(ITestOutputHelper output) => _output = output;

        public void Dispose() => _folder.Dispose();

        [Fact]
        [Trait("Category", "Crash")]
        public async Task Sigkill_of_the_capture_loses_no_acknowledged_output_and_leaves_an_interrupted_run()
        {
            string root = _folder.Path;
            Assert.Equal(0, CliProcess.Run("run", "new", "crash", "--root", root).ExitCode);
            var store = new RunStore(root);
            var random = new Random(1212);
            long ackedTotal = 0, loggedTotal = 0;

            for (int n = 1; n <= Kills; n++)
            {
                using Process capture = CliProcess.Start(new[] { "run", "exec", "crash", "-n", n.ToString(), "--progress", "--root", root, "--",
                    "/bin/sh", "-c", "i=0; while :; do i=$((i+1)); echo \"line $i\"; done" });
                capture.StandardInput.Close();
                int agentPid = 0;
                long acked = 0;
                var firstAck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Task reading = Task.Run(() =>
                {
                    string? line;
                    while ((line = capture.StandardError.ReadLine()) != null)
                    {
                        string[] parts = line.Split(' ');
                        if (parts[0] == "started")
                        {
                            agentPid = int.Parse(parts[1]);
                        }
                        else if (parts[0] == "stdout")
                        {
                            lock (this)
                            {
                                acked = Math.Max(acked, long.Parse(parts[1]));
                            }

                            firstAck.TrySetResult();
                        }
                    }

                    firstAck.TrySetResult();
                });
                Task draining = capture.StandardOutput.ReadToEndAsync();

                await firstAck.Task.WaitAsync(TimeSpan.FromSeconds(120));
                await Task.Delay(random.Next(0, 100));
                Assert.False(capture.HasExited, $"iteration {n}: the capture ended by itself, exit code {(capture.HasExited ? capture.ExitCode : 0)}");
                capture.Kill(); // SIGKILL, the capturing process alone
                KillAgent(agentPid);
                await capture.WaitForExitAsync();
                await reading;
                await draining;

                string log = File.ReadAllText(store.PathFor("crash", RunFiles.Stdout(n)));
                long ackedNow;
                lock (this)
                {
                    ackedNow = acked;
                }

                Assert.True(Encoding.UTF8.GetByteCount(log) >= ackedNow, $"iteration {n}: {ackedNow} bytes acknowledged, {log.Length} in the log");
                AssertIsTheAgentsOutputUpToSomePoint(log, n);
                ackedTotal += ackedNow;
                loggedTotal += log.Length;

                AgentResultRecord agent = store.TryGetAgentResult("crash", n)!;
                Assert.True(agent.Interrupted, $"iteration {n}: agent-{n}.json says {agent.Status}");
                Assert.Equal(agentPid, agent.AgentProcessId);
                RunRecord run = store.Get("crash");
                Assert.True(run.Interrupted, $"iteration {n}: the run reads as {run.DisplayState}");
                Assert.Equal(n, run.Iteration);
                Assert.Equal(RunErrorType.InfrastructureError, store.Diagnose("crash").ErrorType);
                Assert.Equal(1 + n, store.ReadEvents("crash").Count);
            }

            IReadOnlyList<RunEvent> events = store.ReadEvents("crash");
            Assert.Equal(Enumerable.Range(1, 1 + Kills).Select(i => (long)i), events.Select(e => e.Sequence));
            CliProcess.Result listed = CliProcess.Run("run", "list", "--state", "interrupted", "--root", root);
            Assert.Equal($"crash\tinterrupted\t-\t{Kills}", string.Join('\t', listed.StandardOutput.Trim().Split('\t').Take(4)));
            _output.WriteLine($"{Kills} captures killed; {ackedTotal} bytes acknowledged, {loggedTotal} in the logs.");
        }

        /// <summary>"line 1\nline 2\n..." with at most the last line cut short.</summary>
        private static void AssertIsTheAgentsOutputUpToSomePoint(string log, int n)
        {
            string[] lines = log.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string expected = $"line {i + 1}";
                bool last = i == lines.Length - 1;
                Assert.True(last ? expected.StartsWith(lines[i], StringComparison.Ordinal) : lines[i] == expected,
                    $"iteration {n}: line {i + 1} of the log is '{lines[i]}'");
            }
        }

        private static void KillAgent(int pid)
        {
            if (pid == 0)
            {
                return;
            }

            try
            {
                using Process agent = Process.GetProcessById(pid);
                agent.Kill();
            }
            catch (ArgumentException)
            {
                // Gone already: it died of the broken pipe.
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
