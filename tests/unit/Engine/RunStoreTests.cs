using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using AgentState.IO;
using AgentState.Json;
using AgentState.Runs;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    public sealed class RunStoreTests : IDisposable
    {
        // Seed 001's minimal run.json, byte for byte, plus a field another tool added.
        private const string SeedRun = @"{
  ""id"": ""ac31daa7-620a-451e-86e0-4269fe15b824"",
  ""workOrderId"": ""2wTJMIsqVEVm"",
  ""state"": ""failed"",
  ""result"": ""failed_build"",
  ""error"": ""Build failed"",
  ""sessionId"": ""2de21b33-1af5-4d8f-aa65-6751bfdff78f"",
  ""x_orchestrator"": {""host"": ""ci-7"", ""weights"": [0.5, 1e-3]}
}
";

        private readonly TestFolder _folder = new TestFolder();
        private DateTimeOffset _now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        private readonly RunStore _store;

        public RunStoreTests()
        {
            _store = new RunStore(_folder.Path, TimeSpan.FromSeconds(60), () => _now);
        }

        public void Dispose() => _folder.Dispose();

        private string RunFile(string runId, string name) => Path.Combine(_folder.Path, runId, name);

        private static JsonElement Json(string path) => JsonDocument.Parse(File.ReadAllBytes(path)).RootElement;

        [Fact]
        public void A_new_run_is_written_in_the_seeds_layout_with_the_seeds_fields_first()
        {
            RunRecord run = _store.Create(new RunDraft { Id = "r1", WorkOrderId = "wo-1", SessionId = "s-1", Metadata = new OrderedJsonObject { ["owner"] = "ops" } });

            Assert.Equal(new[] { "events.jsonl", "run.json", "run.json.lock" }, Directory.GetFiles(Path.Combine(_folder.Path, "r1")).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
            JsonElement json = Json(RunFile("r1", "run.json"));
            Assert.Equal(new[] { "id", "workOrderId", "state", "result", "error", "sessionId", "iteration", "createdAt", "updatedAt", "metadata" }, json.EnumerateObject().Select(p => p.Name));
            Assert.Equal("queued", json.GetProperty("state").GetString());
            Assert.Equal("2026-11-22T12:00:00.000+00:00", json.GetProperty("createdAt").GetString());
            Assert.Equal("ops", json.GetProperty("metadata").GetProperty("owner").GetString());
            Assert.Equal(RunState.Queued, run.State);
            Assert.Equal("wo-1", _store.Get("r1").WorkOrderId);
            RunEvent start = Assert.Single(_store.ReadEvents("r1"));
            Assert.Equal((1L, "run:start", "r1", "run.json"), (start.Sequence, start.Type, start.RunId, start.File));
        }

        [Fact]
        public void A_run_without_an_id_gets_a_guid_and_a_second_run_with_one_id_is_refused()
        {
            RunRecord run = _store.Create(new RunDraft());
            Assert.True(Guid.TryParse(run.Id, out _), run.Id);

            _store.Create(new RunDraft { Id = "same" });
            string before = File.ReadAllText(RunFile("same", "run.json"));
            var error = Assert.Throws<RunExistsException>(() => _store.Create(new RunDraft { Id = "same", WorkOrderId = "other" }));
            Assert.Contains("'same' already exists", error.Message);
            Assert.Equal(before, File.ReadAllText(RunFile("same", "run.json")));
        }

        [Theory]
        [InlineData("../x")]
        [InlineData("a/b")]
        [InlineData(".hidden")]
        [InlineData("CON")]
        [InlineData("")]
        public void A_run_id_that_is_not_a_file_name_is_an_error_and_nothing_is_created(string id)
        {
            var error = Assert.Throws<InvalidInputException>(() => _store.Create(new RunDraft { Id = id }));
            Assert.Contains("is not a valid run id", error.Message);
            Assert.Empty(Directory.GetFileSystemEntries(_folder.Path));
            Assert.Throws<InvalidInputException>(() => _store.TryGet(id));
        }

        [Fact]
        public void A_seed_form_run_json_reads_as_a_run_and_completing_it_keeps_every_field()
        {
            string id = "ac31daa7-620a-451e-86e0-4269fe15b824";
            Directory.CreateDirectory(Path.Combine(_folder.Path, id));
            File.WriteAllText(RunFile(id, "run.json"), SeedRun);

            RunRecord run = _store.Get(id);
            Assert.Equal(("2wTJMIsqVEVm", RunState.Failed, "failed_build", "2de21b33-1af5-4d8f-aa65-6751bfdff78f"), (run.WorkOrderId, run.State!.Value, run.Result, run.SessionId));
            Assert.Equal(RunErrorType.Unknown, run.Error!.Type);
            Assert.Equal("Build failed", run.Error.Message);
            Assert.Equal(0, run.Iteration);

            _store.Complete(id, new RunCompletion { Force = true, Error = new RunError(RunErrorType.AgentCrash, "exit 3", "agent-1.stderr.log", 3) });

            string text = File.ReadAllText(RunFile(id, "run.json"));
            Assert.Contains("1e-3", text); // Numbers keep their text; the layout is the file's own indentation.
            Assert.True(JsonCompare.Same(JsonDocument.Parse("{\"host\": \"ci-7\", \"weights\": [0.5, 1e-3]}").RootElement, Json(RunFile(id, "run.json")).GetProperty("x_orchestrator")));
            JsonElement json = Json(RunFile(id, "run.json"));
            Assert.Equal(new[] { "id", "workOrderId", "state", "result", "error", "sessionId", "x_orchestrator", "errorDetails", "completedAt", "updatedAt" }, json.EnumerateObject().Select(p => p.Name));
            Assert.Equal("failed_build", json.GetProperty("result").GetString());
            Assert.Equal("exit 3", json.GetProperty("error").GetString());
            Assert.Equal("AgentCrash", json.GetProperty("errorDetails").GetProperty("type").GetString());
            Assert.Equal(3, json.GetProperty("errorDetails").GetProperty("exitCode").GetInt32());
        }

        [Fact]
        public void Completing_a_finished_run_needs_force_and_changes_nothing_without_it()
        {
            _store.Create(new RunDraft { Id = "r" });
            _store.Complete("r", new RunCompletion());
            string before = File.ReadAllText(RunFile("r", "run.json"));

            var error = Assert.Throws<RunFinishedException>(() => _store.Complete("r", new RunCompletion { State = RunState.Failed }));

            Assert.Contains("'r' is succeeded", error.Message);
            Assert.Equal(before, File.ReadAllText(RunFile("r", "run.json")));
            Assert.Equal(2, _store.ReadEvents("r").Count);
        }

        [Fact]
        public void Three_iterations_leave_every_file_with_its_fields_and_the_events_in_order()
        {
            _store.Create(new RunDraft { Id = "r3", WorkOrderId = "wo" });
            for (int n = 1; n <= 3; n++)
            {
                _now = _now.AddMinutes(1);
                _store.SaveIteration("r3", new IterationDraft(n) { Complete = false, HarnessProfile = "default", LoopStrategy = new OrderedJsonObject { ["kind"] = "fixed", ["left"] = (long)(3 - n) } });
                _store.SaveAgentResult("r3", new AgentResultDraft(n)
                {
                    Stdout = AgentOutput.FromText($"out {n}\n"),
                    Stderr = AgentOutput.FromText(n < 3 ? "error TS2322: Type 'string' is not assignable\n" : string.Empty),
                    ToolCalls = new List<object?> { new OrderedJsonObject { ["tool"] = "edit", ["file"] = "a.ts" } },
                    TokensUsed = new TokenUsage { Prompt = 100 * n, Completion = 10 * n, Cached = 5, Cost = 0.25m },
                    DurationMs = 45000,
                    Model = "sonnet",
                    SessionId = "s-" + n,
                    ExitCode = 0,
                });
                bool passed = n == 3;
                _store.SaveVerification("r3", n, new OrderedJsonObject
                {
                    ["levels"] = new List<object?>
                    {
                        new OrderedJsonObject { ["name"] = "typecheck", ["passed"] = passed },
                        new OrderedJsonObject { ["name"] = "lint", ["passed"] = true },
                    },
                    ["custom"] = "kept",
                });
                _store.SaveIteration("r3", new IterationDraft(n)
                {
                    Result = passed ? "passed" : "failed_verification",
                    Error = passed ? null : new RunError(RunErrorType.TypecheckFailed, "typecheck failed", RunFiles.Verification(n)),
                });
            }

            _store.Complete("r3", new RunCompletion());

            JsonElement run = Json(RunFile("r3", "run.json"));
            Assert.Equal(("succeeded", "passed", 3), (run.GetProperty("state").GetString(), run.GetProperty("result").GetString(), run.GetProperty("iteration").GetInt32()));
            JsonElement agent = Json(RunFile("r3", "agent-2.json"));
            Assert.Equal("out 2\n", agent.GetProperty("stdout").GetString());
            Assert.Equal("error TS2322: Type 'string' is not assignable\n", agent.GetProperty("stderr").GetString());
            Assert.Equal(200, agent.GetProperty("tokensUsed").GetProperty("prompt").GetInt32());
            Assert.Equal(0.25m, agent.GetProperty("tokensUsed").GetProperty("cost").GetDecimal());
            Assert.Equal("edit", agent.GetProperty("toolCalls")[0].GetProperty("tool").GetString());
            Assert.Equal((45000, "sonnet", "s-2", true, 0), (agent.GetProperty("durationMs").GetInt32(), agent.GetProperty("model").GetString(), agent.GetProperty("sessionId").GetString(), agent.GetProperty("success").GetBoolean(), agent.GetProperty("exitCode").GetInt32()));
            JsonElement verification = Json(RunFile("r3", "verification-1.json"));
            Assert.False(verification.GetProperty("passed").GetBoolean());
            Assert.Equal(new[] { "typecheck" }, verification.GetProperty("failingChecks").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("kept", verification.GetProperty("custom").GetString());
            Assert.True(Json(RunFile("r3", "verification-3.json")).GetProperty("passed").GetBoolean());
            JsonElement iteration = Json(RunFile("r3", "iteration-1.json"));
            Assert.Equal(("default", "fixed", "failed_verification", "TypecheckFailed"), (iteration.GetProperty("harnessProfile").GetString(), iteration.GetProperty("loopStrategy").GetProperty("kind").GetString(),
                iteration.GetProperty("result").GetString(), iteration.GetProperty("error").GetProperty("type").GetString()));
            Assert.Equal(("agent-1.json", "verification-1.json"), (iteration.GetProperty("agentFile").GetString(), iteration.GetProperty("verificationFile").GetString()));
            Assert.Equal("2026-11-22T12:01:00.000+00:00", iteration.GetProperty("startedAt").GetString());

            IReadOnlyList<RunEvent> events = _store.ReadEvents("r3");
            Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
            var expected = new List<string> { "run:start" };
            for (int n = 1; n <= 3; n++)
            {
                expected.AddRange(new[] { $"iteration:start {n}", $"agent:complete {n}", $"verification:complete {n}", $"iteration:complete {n}" });
            }

            expected.Add("run:complete");
            Assert.Equal(expected, events.Select(e => e.Iteration == null ? e.Type : $"{e.Type} {e.Iteration}"));
            Assert.Equal("verification-2.json", events.Single(e => e.Type == "verification:complete" && e.Iteration == 2).File);
            Assert.All(events, e => Assert.Equal("r3", e.RunId));
        }

        [Fact]
        public void Fields_other_tools_wrote_survive_a_rewrite_of_every_file()
        {
            _store.Create(new RunDraft { Id = "u" });
            _store.SaveAgentResult("u", new AgentResultDraft(1) { Stdout = AgentOutput.FromText("a") });
            _store.SaveVerification("u", 1, new OrderedJsonObject { ["passed"] = true });
            _store.SaveIteration("u", new IterationDraft(1) { Complete = false });
            foreach (string name in new[] { "run.json", "agent-1.json", "verification-1.json", "iteration-1.json" })
            {
                string path = RunFile("u", name);
                string text = File.ReadAllText(path);
                File.WriteAllText(path, text.TrimEnd().TrimEnd('}') + ",\n  \"x_other\": {\"n\": 1.50}\n}\n");
            }

            _store.SaveAgentResult("u", new AgentResultDraft(1) { Stdout = AgentOutput.FromText("b") });
            _store.SaveVerification("u", 1, new OrderedJsonObject { ["passed"] = false });
            _store.SaveIteration("u", new IterationDraft(1) { Result = "failed" });
            _store.Complete("u", new RunCompletion { State = RunState.Failed });

            foreach (string name in new[] { "run.json", "agent-1.json", "verification-1.json", "iteration-1.json" })
            {
                Assert.Contains("\"n\": 1.50", File.ReadAllText(RunFile("u", name)));
                Assert.Equal(1.50m, Json(RunFile("u", name)).GetProperty("x_other").GetProperty("n").GetDecimal());
            }

            Assert.Equal("b", _store.TryGetAgentResult("u", 1)!.Stdout);
            Assert.False(_store.TryGetVerification("u", 1)!.Passed);
        }

        [Fact]
        public void Output_over_the_limit_goes_to_a_log_beside_the_json_and_a_file_is_copied_whole()
        {
            _store.InlineLimit = 1024;
            _store.Create(new RunDraft { Id = "big" });
            string large = string.Concat(Enumerable.Range(0, 500).Select(i => $"line {i}\n"));
            string source = _folder.File("stderr.txt");
            byte[] binary = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
            File.WriteAllBytes(source, binary);

            AgentResultRecord record = _store.SaveAgentResult("big", new AgentResultDraft(1) { Stdout = AgentOutput.FromText(large), Stderr = AgentOutput.FromFile(source) });

            Assert.Equal(large, File.ReadAllText(RunFile("big", "agent-1.stdout.log")));
            Assert.Equal(binary, File.ReadAllBytes(RunFile("big", "agent-1.stderr.log")));
            JsonElement json = Json(RunFile("big", "agent-1.json"));
            Assert.Equal(JsonValueKind.Null, json.GetProperty("stdout").ValueKind);
            Assert.Equal(("agent-1.stdout.log", Encoding.UTF8.GetByteCount(large)), (json.GetProperty("stdoutFile").GetString(), json.GetProperty("stdoutBytes").GetInt32()));
            Assert.Equal(("agent-1.stderr.log", 300_000), (json.GetProperty("stderrFile").GetString(), json.GetProperty("stderrBytes").GetInt32()));
            Assert.Equal(RunFile("big", "agent-1.stdout.log"), record.StdoutFile);

            // Small output that is not UTF-8 is kept as a file too, byte for byte, never decoded lossily.
            File.WriteAllBytes(source, new byte[] { 0xff, 0xfe, 0x41 });
            _store.SaveAgentResult("big", new AgentResultDraft(2) { Stderr = AgentOutput.FromFile(source), Stdout = AgentOutput.FromText("small") });
            Assert.Equal(new byte[] { 0xff, 0xfe, 0x41 }, File.ReadAllBytes(RunFile("big", "agent-2.stderr.log")));
            Assert.Equal("small", _store.TryGetAgentResult("big", 2)!.Stdout);
            Assert.False(File.Exists(RunFile("big", "agent-2.stdout.log")));
        }

        [Fact]
        public void Runs_are_listed_by_id_pattern_state_result_and_time_and_a_corrupt_one_is_reported()
        {
            _store.Create(new RunDraft { Id = "build-1" });
            _now = _now.AddHours(1);
            _store.Create(new RunDraft { Id = "build-2" });
            _store.Complete("build-2", new RunCompletion { Error = new RunError(RunErrorType.Timeout, "slow") });
            _store.Create(new RunDraft { Id = "deploy-1", State = RunState.Running });
            Directory.CreateDirectory(Path.Combine(_folder.Path, "broken"));
            File.WriteAllText(RunFile("broken", "run.json"), "{\"id\": ");
            Directory.CreateDirectory(Path.Combine(_folder.Path, "not-a-run"));

            string[] Ids(RunQuery q) => _store.Scan(q).Select(e => e.Record?.Id ?? "corrupt:" + Path.GetFileName(Path.GetDirectoryName(e.Corruption!.Path))).ToArray();

            Assert.Equal(new[] { "corrupt:broken", "build-1", "build-2", "deploy-1" }, Ids(new RunQuery()));
            Assert.Equal(new[] { "build-1", "build-2" }, Ids(new RunQuery { Ids = { "BUILD-*" } }));
            Assert.Equal(new[] { "build-1", "deploy-1" }, Ids(new RunQuery { Ids = { "build-[1]", "d*" } }));
            Assert.Equal(new[] { "corrupt:broken", "build-2" }, Ids(new RunQuery { States = { "failed" } }));
            Assert.Equal(new[] { "corrupt:broken", "build-2" }, Ids(new RunQuery { Results = { "failed_timeout" } }));
            Assert.Equal(new[] { "corrupt:broken", "build-2", "deploy-1" }, Ids(new RunQuery { Since = _now }));
            Assert.Contains("is corrupt", _store.Scan().First().Corruption!.Message);
            Assert.Throws<RunStoreNotFoundException>(() => new RunStore(_folder.File("missing")).Scan());
        }

        [Fact]
        public void A_torn_last_event_is_set_aside_and_the_numbering_goes_on()
        {
            _store.Create(new RunDraft { Id = "t" });
            string events = RunFile("t", "events.jsonl");
            File.AppendAllText(events, "{\"seq\":2,\"type\":\"iteration:st");

            Assert.Single(_store.ReadEvents("t"));
            RunEvent next = _store.AppendEvent("t", new RunEventDraft("retry:attempt") { Iteration = 1, Data = new OrderedJsonObject { ["attempt"] = 2L } });

            Assert.Equal(2, next.Sequence);
            Assert.Equal("{\"seq\":2,\"type\":\"iteration:st\n", File.ReadAllText(RunFile("t", "events.jsonl.torn")));
            Assert.Equal(new[] { "run:start", "retry:attempt" }, _store.ReadEvents("t").Select(e => e.Type));
            Assert.Equal(2L, JsonFields(_store.ReadEvents("t")[1]).GetProperty("data").GetProperty("attempt").GetInt64());
        }

        [Fact]
        public void An_event_line_longer_than_the_tail_window_is_numbered_after_as_well()
        {
            _store.Create(new RunDraft { Id = "long" });
            string big = new string('x', 300_000);
            Assert.Equal(2, _store.AppendEvent("long", new RunEventDraft("note") { Data = new OrderedJsonObject { ["text"] = big } }).Sequence);
            Assert.Equal(3, _store.AppendEvent("long", new RunEventDraft("note")).Sequence);
            File.AppendAllText(RunFile("long", "events.jsonl"), "{\"seq\":4," + new string('y', 200_000));
            Assert.Equal(4, _store.AppendEvent("long", new RunEventDraft("after-torn")).Sequence);
            Assert.Equal("{\"seq\":4,".Length + 200_000 + 1, new FileInfo(RunFile("long", "events.jsonl.torn")).Length);
            Assert.Equal(new long[] { 1, 2, 3, 4 }, _store.ReadEvents("long").Select(e => e.Sequence));
        }

        [Fact]
        public void A_malformed_event_line_is_an_error_naming_the_file_and_offset()
        {
            _store.Create(new RunDraft { Id = "m" });
            File.AppendAllText(RunFile("m", "events.jsonl"), "not json\n");
            var error = Assert.Throws<RunCorruptException>(() => _store.ReadEvents("m"));
            Assert.Contains("events.jsonl", error.Message);
            Assert.Contains("at byte", error.Message);
        }

        [Fact]
        public void Four_writers_saving_into_one_run_leave_every_event_once_and_in_order()
        {
            _store.Create(new RunDraft { Id = "busy" });
            Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, w =>
            {
                var store = new RunStore(_folder.Path, TimeSpan.FromSeconds(120));
                for (int i = 0; i < 10; i++)
                {
                    int n = w * 10 + i + 1;
                    store.SaveAgentResult("busy", new AgentResultDraft(n) { Stdout = AgentOutput.FromText("x") });
                    store.SaveVerification("busy", n, new OrderedJsonObject { ["passed"] = true });
                    store.SaveIteration("busy", new IterationDraft(n));
                }
            });

            IReadOnlyList<RunEvent> events = _store.ReadEvents("busy");
            Assert.Equal(1 + 40 * 4, events.Count);
            Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
            Assert.Equal(events.Count, events.Select(e => (e.Type, e.Iteration)).Distinct().Count());
            foreach (IGrouping<int?, RunEvent> iteration in events.Where(e => e.Iteration != null).GroupBy(e => e.Iteration))
            {
                Assert.Equal(new[] { "iteration:start", "agent:complete", "verification:complete", "iteration:complete" }, iteration.Select(e => e.Type));
            }

            Assert.Equal(40, _store.Get("busy").Iteration);
        }

        [Fact]
        public void A_run_folder_that_is_a_link_is_refused_and_what_it_points_at_is_untouched()
        {
            using var outside = new TestFolder();
            File.WriteAllText(outside.File("run.json"), "{\"id\":\"victim\",\"state\":\"running\"}");
            File.CreateSymbolicLink(Path.Combine(_folder.Path, "linked"), outside.Path);

            Assert.Throws<UnsafePathException>(() => _store.SaveAgentResult("linked", new AgentResultDraft(1)));
            Assert.Throws<UnsafePathException>(() => _store.Get("linked"));
            Assert.Throws<UnsafePathException>(() => _store.Create(new RunDraft { Id = "linked" }));
            Assert.Equal(new[] { "run.json" }, outside.Leftovers());
            RunEntry entry = Assert.Single(_store.Scan());
            Assert.Contains("symbolic link", entry.Corruption!.Message);
        }

        [Fact]
        public void A_run_file_planted_as_a_link_is_not_followed()
        {
            using var outside = new TestFolder();
            string victim = outside.File("victim.json");
            File.WriteAllText(victim, "{\"secret\":1}");
            _store.Create(new RunDraft { Id = "r" });
            File.CreateSymbolicLink(RunFile("r", "agent-1.json"), victim);

            Assert.Throws<RunCorruptException>(() => _store.SaveAgentResult("r", new AgentResultDraft(1)));
            Assert.Equal("{\"secret\":1}", File.ReadAllText(victim));

            File.Delete(RunFile("r", "agent-1.json"));
            File.CreateSymbolicLink(RunFile("r", "events.jsonl.torn"), victim);
            File.AppendAllText(RunFile("r", "events.jsonl"), "{\"torn");
            Assert.Throws<UnsafePathException>(() => _store.AppendEvent("r", new RunEventDraft("x")));
            Assert.Equal("{\"secret\":1}", File.ReadAllText(victim));
        }

        [Fact]
        public void Saving_into_a_run_that_does_not_exist_is_an_error_that_leaves_no_lock_file()
        {
            Directory.CreateDirectory(Path.Combine(_folder.Path, "empty"));
            var error = Assert.Throws<RunNotFoundException>(() => _store.SaveAgentResult("empty", new AgentResultDraft(1)));
            Assert.Contains("no run 'empty'", error.Message);
            Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_folder.Path, "empty")));
            Assert.Throws<InvalidInputException>(() => new AgentResultDraft(0));
        }

        private static JsonElement JsonFields(RunEvent e) => JsonDocument.Parse(Encoding.UTF8.GetString(JsonTreeWriter.WriteLine(e.Fields))).RootElement;
    }
}
