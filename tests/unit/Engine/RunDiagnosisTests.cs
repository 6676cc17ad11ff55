using System;
using System.IO;
using System.Linq;
using AgentState.Json;
using AgentState.Runs;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    public sealed class RunDiagnosisTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();
        private readonly RunStore _store;

        public RunDiagnosisTests()
        {
            _store = new RunStore(_folder.Path, TimeSpan.FromSeconds(60));
            _store.Create(new RunDraft { Id = "d" });
        }

        public void Dispose() => _folder.Dispose();

        private string InRun(string name) => Path.Combine(_folder.Path, "d", name);

        [Theory]
        [InlineData(RunErrorType.AgentCrash)]
        [InlineData(RunErrorType.TypecheckFailed)]
        [InlineData(RunErrorType.TestFailed)]
        [InlineData(RunErrorType.Timeout)]
        [InlineData(RunErrorType.VerificationFailed)]
        [InlineData(RunErrorType.InfrastructureError)]
        [InlineData(RunErrorType.Cancelled)]
        [InlineData(RunErrorType.Unknown)]
        public void Each_error_type_is_diagnosed_with_what_why_where_and_how(RunErrorType type)
        {
            string stderr = string.Join("\n", Enumerable.Range(1, 30).Select(i => $"stderr line {i}")) + "\n";
            _store.SaveAgentResult("d", new AgentResultDraft(1) { Stdout = AgentOutput.FromText("ok\n"), Stderr = AgentOutput.FromText(stderr) });
            _store.SaveVerification("d", 1, new OrderedJsonObject { ["checks"] = new System.Collections.Generic.List<object?> { new OrderedJsonObject { ["name"] = "unit tests", ["status"] = "failed" } } });
            _store.SaveIteration("d", new IterationDraft(1) { Error = new RunError(type, $"it was {type}", RunFiles.Verification(1), exitCode: 2) });

            RunDiagnosis diagnosis = _store.Diagnose("d");

            Assert.True(diagnosis.Failed);
            Assert.Equal(type, diagnosis.ErrorType);
            Assert.Equal($"it was {type}", diagnosis.Message);
            Assert.Equal(1, diagnosis.Iteration);
            Assert.Equal(Enumerable.Range(11, 20).Select(i => $"stderr line {i}"), diagnosis.StderrTail);
            Assert.Equal(new[] { "unit tests" }, diagnosis.FailingChecks);
            Assert.Equal(InRun("verification-1.json"), diagnosis.Files[0]);
            Assert.Contains(InRun("agent-1.json"), diagnosis.Files);
            Assert.Contains(InRun("events.jsonl"), diagnosis.Files);
            Assert.All(diagnosis.Files, f => Assert.True(File.Exists(f), f));
            Assert.Contains(diagnosis.Commands, c => c.StartsWith("agentstate run show d --iteration 1 --root ", StringComparison.Ordinal));
            Assert.Contains(diagnosis.Commands, c => c == $"jq . '{InRun("verification-1.json")}'");
            string view = diagnosis.ToString();
            Assert.Contains($"What: {type} (exit code 2)", view);
            Assert.Contains($"Why:  it was {type}", view);
            Assert.Contains("failing check: unit tests", view);
            Assert.Contains("stderr line 30", view);
        }

        [Fact]
        public void Without_an_iteration_error_the_agents_crash_then_a_failed_verification_then_the_runs_error_is_the_answer()
        {
            _store.SaveAgentResult("d", new AgentResultDraft(1) { ExitCode = 139, Signal = 11 });
            Assert.Equal((RunErrorType.AgentCrash, "The agent was killed by signal 11."), (_store.Diagnose("d").ErrorType!.Value, _store.Diagnose("d").Message));

            _store.SaveAgentResult("d", new AgentResultDraft(2) { ExitCode = 0 });
            _store.SaveVerification("d", 2, new OrderedJsonObject { ["passed"] = false, ["tests"] = new OrderedJsonObject { ["name"] = "e2e", ["passed"] = false } });
            RunDiagnosis second = _store.Diagnose("d");
            Assert.Equal((2, RunErrorType.VerificationFailed, "Verification failed: e2e."), (second.Iteration!.Value, second.ErrorType!.Value, second.Message));
            Assert.Equal(RunErrorType.AgentCrash, _store.Diagnose("d", 1).ErrorType);

            _store.SaveAgentResult("d", new AgentResultDraft(3));
            Assert.False(_store.Diagnose("d").Failed);
            Assert.Contains("What: nothing failed", _store.Diagnose("d").ToString());
            _store.Complete("d", new RunCompletion { Error = new RunError(RunErrorType.InfrastructureError, "disk full") });
            Assert.Equal(RunErrorType.InfrastructureError, _store.Diagnose("d").ErrorType);
            Assert.Equal(RunErrorType.VerificationFailed, _store.Diagnose("d", 2).ErrorType);
        }

        [Fact]
        public void A_capture_whose_process_died_reads_back_as_interrupted_and_is_diagnosed_as_infrastructure()
        {
            File.WriteAllText(InRun("agent-1.stderr.log"), "partial\n");
            File.WriteAllText(InRun("agent-1.json"), "{\"iteration\":1,\"status\":\"capturing\",\"stdoutFile\":\"agent-1.stdout.log\",\"stderrFile\":\"agent-1.stderr.log\","
                + $"\"capture\":{{\"pid\":{Processes.DeadPid()},\"host\":\"{Environment.MachineName}\"}}}}");
            _store.SaveIteration("d", new IterationDraft(1) { Complete = false });

            RunRecord run = _store.Get("d");
            Assert.True(run.Interrupted);
            Assert.Equal("interrupted", run.DisplayState);
            Assert.Equal(new[] { "d" }, _store.Scan(new RunQuery { States = { "interrupted" } }).Select(e => e.Record!.Id));
            Assert.Empty(_store.Scan(new RunQuery { States = { "running" } }));
            RunDiagnosis diagnosis = _store.Diagnose("d");
            Assert.Equal(RunErrorType.InfrastructureError, diagnosis.ErrorType);
            Assert.Contains("died before it saved the result", diagnosis.Message);
            Assert.Equal(new[] { "partial" }, diagnosis.StderrTail);
        }

        [Fact]
        public void A_capture_still_running_is_not_interrupted()
        {
            int self = Environment.ProcessId;
            File.WriteAllText(InRun("agent-1.json"), $"{{\"iteration\":1,\"status\":\"capturing\",\"capture\":{{\"pid\":{self},\"host\":\"{Environment.MachineName}\"}}}}");
            _store.SaveIteration("d", new IterationDraft(1) { Complete = false });

            Assert.False(_store.Get("d").Interrupted);
            Assert.Equal("running", _store.Get("d").DisplayState);
        }
    }
}
