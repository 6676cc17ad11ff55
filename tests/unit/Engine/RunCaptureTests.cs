using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using AgentState.IO;
using AgentState.Runs;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>Capturing a real agent process (sh scripts) into a run.</summary>
    public sealed class RunCaptureTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();
        private readonly RunStore _store;

        public RunCaptureTests()
        {
            _store = new RunStore(_folder.Path, TimeSpan.FromSeconds(60));
            _store.Create(new RunDraft { Id = "c" });
        }

        public void Dispose() => _folder.Dispose();

        private string InRun(string name) => Path.Combine(_folder.Path, "c", name);

        private AgentResultRecord Capture(int n, string script, TimeSpan? timeout = null, List<CaptureProgress>? progress = null) =>
            RunCapture.Run(_store, "c", new CaptureRequest(n, "/bin/sh") { Arguments = { "-c", script }, Timeout = timeout, Model = "m1" },
                p => { if (progress != null) { lock (progress) { progress.Add(p); } } });

        [Fact]
        public void A_successful_agent_is_captured_with_its_output_exit_code_and_arguments_as_given()
        {
            string folder = Directory.CreateDirectory(_folder.File("work")).FullName;
            var request = new CaptureRequest(1, "/bin/sh")
            {
                Arguments = { "-c", "printf '%s|' \"$1\" \"$2\"; pwd; echo \"$AGENT_X\"; echo warn >&2", "sh", "two words", "quote\"d" },
                WorkingDirectory = folder,
                Environment = { ["AGENT_X"] = "from env" },
                SessionId = "sess",
            };

            AgentResultRecord result = RunCapture.Run(_store, "c", request);

            Assert.Equal($"two words|quote\"d|{folder}\nfrom env\n", result.Stdout);
            Assert.Equal("warn\n", result.Stderr);
            Assert.Equal((true, 0, (RunError?)null, "complete", "sess"), (result.Success!.Value, result.ExitCode!.Value, result.Error, result.Status, result.SessionId));
            Assert.Equal(File.ReadAllText(InRun("agent-1.stdout.log")), result.Stdout);
            Assert.True(result.DurationMs >= 0);
            Assert.Equal(new[] { "run:start", "iteration:start", "agent:complete" }, _store.ReadEvents("c").Select(e => e.Type));
            Assert.Equal("running", _store.Get("c").StateText);
            Assert.False(_store.Get("c").Interrupted);
        }

        [Fact]
        public void A_non_zero_exit_is_an_agent_crash_with_its_code()
        {
            AgentResultRecord result = Capture(1, "echo 'fatal: no tests' >&2; exit 3");

            Assert.False(result.Success);
            Assert.Equal((RunErrorType.AgentCrash, 3, (int?)null, "agent-1.stderr.log"), (result.Error!.Type, result.Error.ExitCode!.Value, result.Error.Signal, result.Error.File));
            Assert.Equal("The agent exited with code 3.", result.Error.Message);
            Assert.Equal(new[] { "fatal: no tests" }, _store.Diagnose("c").StderrTail);
        }

        [Fact]
        public void An_agent_killed_by_a_signal_is_an_agent_crash_with_the_signal_and_keeps_what_it_printed()
        {
            AgentResultRecord result = Capture(1, "echo before; echo oops >&2; kill -SEGV $$");

            Assert.Equal((RunErrorType.AgentCrash, 11, 139), (result.Error!.Type, result.Error.Signal!.Value, result.ExitCode!.Value));
            Assert.Equal("The agent was killed by signal 11.", result.Error.Message);
            Assert.Equal("before\n", File.ReadAllText(InRun("agent-1.stdout.log")));
            Assert.Equal("oops\n", File.ReadAllText(InRun("agent-1.stderr.log")));
        }

        [Fact]
        public void An_agent_past_its_timeout_is_killed_with_the_processes_it_started()
        {
            // The agent starts a grandchild and reports its pid, then both would sleep far past the timeout.
            AgentResultRecord result = Capture(1, "sleep 600 & echo $!; sleep 600", TimeSpan.FromSeconds(2));

            Assert.Equal(RunErrorType.Timeout, result.Error!.Type);
            Assert.Contains("timeout of 2 s", result.Error.Message);
            Assert.Equal(9, result.Error.Signal);
            int grandchild = int.Parse(File.ReadAllText(InRun("agent-1.stdout.log")).Trim());
            Assert.False(IsRunning(grandchild), $"the grandchild {grandchild} still runs");
            Assert.False(IsRunning(result.AgentProcessId!.Value));
        }

        [Fact]
        public void Fifty_mebibytes_interleaved_on_stdout_and_stderr_are_captured_byte_for_byte()
        {
            // 26 rounds of 130,000 numbers on each stream, alternating: about 50 MiB in all.
            const int Rounds = 26, PerRound = 130_000;
            string script = $"i=0; while [ $i -lt {Rounds} ]; do seq $((i*{PerRound}+1)) $(((i+1)*{PerRound})); seq $((i*{PerRound}+1)) $(((i+1)*{PerRound})) | sed 's/^/e/' >&2; i=$((i+1)); done";
            var progress = new List<CaptureProgress>();

            AgentResultRecord result = Capture(1, script, progress: progress);

            var expectedOut = new StringBuilder();
            var expectedErr = new StringBuilder();
            for (int k = 1; k <= Rounds * PerRound; k++)
            {
                expectedOut.Append(k).Append('\n');
                expectedErr.Append('e').Append(k).Append('\n');
            }

            Assert.True(result.Success, result.Error?.Message);
            Assert.True(expectedOut.Length + expectedErr.Length >= 50 << 20, $"{expectedOut.Length + expectedErr.Length} bytes");
            Assert.True(File.ReadAllText(InRun("agent-1.stdout.log")) == expectedOut.ToString(), "stdout differs");
            Assert.True(File.ReadAllText(InRun("agent-1.stderr.log")) == expectedErr.ToString(), "stderr differs");
            Assert.Equal((expectedOut.Length, expectedErr.Length), (result.StdoutBytes!.Value, result.StderrBytes!.Value));
            Assert.Null(result.Stdout);
            lock (progress)
            {
                Assert.Equal(expectedOut.Length, progress.Where(p => p.Stream == "stdout").Max(p => p.Bytes));
            }
        }

        [Fact]
        public void A_program_that_cannot_start_is_an_infrastructure_error_saved_with_the_reason()
        {
            AgentResultRecord result = RunCapture.Run(_store, "c", new CaptureRequest(1, _folder.File("no-such-agent")));

            Assert.Equal(RunErrorType.InfrastructureError, result.Error!.Type);
            Assert.Contains("no-such-agent", result.Error.Message);
            Assert.Contains("Could not start", File.ReadAllText(InRun("agent-1.stderr.log")));
        }

        [Fact]
        public void An_iteration_already_captured_is_refused_and_its_logs_are_kept()
        {
            Capture(1, "echo first");
            var error = Assert.Throws<InvalidInputException>(() => Capture(1, "echo second"));
            Assert.Contains("already has an agent result", error.Message);
            Assert.Equal("first\n", File.ReadAllText(InRun("agent-1.stdout.log")));
        }

        private static bool IsRunning(int pid)
        {
            string stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat))
            {
                return false;
            }

            try
            {
                string text = File.ReadAllText(stat);
                char state = text[text.LastIndexOf(')') + 2];
                return state != 'Z' && state != 'X';
            }
            catch (IOException)
            {
                return false;
            }
        }
    }
}
