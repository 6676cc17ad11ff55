using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using AgentState.Agents;
using AgentState.IO;
using AgentState.Json;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    public sealed class AgentStateStoreTests : IDisposable
    {
        // The seed's own example state file (offset-less local times), plus a field this module does not know.
        private const string SeedState = @"{
  ""agent_id"": ""L2.2.1"",
  ""agent_name"": ""Critical Security Engineer"",
  ""agent_type"": ""L2"",
  ""parent_agent_id"": ""L1.OVERWATCH.2"",
  ""model"": ""haiku"",
  ""prompt"": ""Fix authentication and WebSocket auth..."",
  ""load_percentage"": 25.0,
  ""estimated_duration"": 14400,
  ""metadata"": {},
  ""status"": ""running"",
  ""pid"": 12345,
  ""started_at"": ""2025-11-09T18:40:00"",
  ""progress"": 0,
  ""created_at"": ""2025-11-09T18:40:00"",
  ""last_updated"": ""2025-11-09T19:45:00"",
  ""x_coordinator"": {""shard"": 3, ""weights"": [0.5, 1e-3]}
}";

        private readonly TestFolder _folder = new TestFolder();
        private DateTimeOffset _now = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        private readonly AgentStateStore _store;

        public AgentStateStoreTests()
        {
            _store = new AgentStateStore(_folder.Path, TimeSpan.FromSeconds(30), () => _now);
        }

        public void Dispose() => _folder.Dispose();

        private string StateFile(string name) => Path.Combine(_folder.Path, "state", name);

        private void WriteRaw(string name, string text)
        {
            Directory.CreateDirectory(Path.Combine(_folder.Path, "state"));
            File.WriteAllText(StateFile(name), text);
        }

        [Fact]
        public void A_new_agent_is_written_with_the_seeds_fields_in_the_seeds_order()
        {
            var draft = new AgentStateDraft("L2.TEST.1", "Test Agent", "L2") { Model = "haiku", Prompt = "Test task", Status = AgentStatus.Running, Metadata = new OrderedJsonObject { ["b"] = 2, ["a"] = "x" } };

            AgentStateRecord record = _store.Create(draft);

            var fields = ((OrderedJsonObject)JsonTreeReader.Read(File.ReadAllBytes(StateFile("L2.TEST.1.json"))).Root!).Select(f => f.Key).ToArray();
            Assert.Equal(new[] { "agent_id", "agent_name", "agent_type", "parent_agent_id", "model", "prompt", "load_percentage", "estimated_duration", "metadata", "status", "pid", "started_at", "progress", "created_at", "last_updated" }, fields);
            Assert.Equal(AgentStatus.Running, record.Status);
            Assert.Equal(_now, record.StartedAt);
            Assert.Equal(_now, record.CreatedAt);
            Assert.Contains("\"created_at\": \"2026-11-21T12:00:00.000+00:00\"", File.ReadAllText(StateFile("L2.TEST.1.json")));
            Assert.Equal(new[] { "b", "a" }, record.Metadata!.Select(m => m.Key));
        }

        [Fact]
        public void A_running_agent_has_not_finished_whatever_stamps_an_earlier_run_left()
        {
            WriteRaw("r.json", "{\"agent_id\":\"r\",\"status\":\"running\",\"completed_at\":\"2025-01-01T00:00:00+00:00\",\"last_updated\":\"2025-01-02T00:00:00+00:00\"}");
            WriteRaw("c.json", "{\"agent_id\":\"c\",\"status\":\"completed\",\"completed_at\":\"2025-01-01T00:00:00+00:00\",\"last_updated\":\"2025-01-02T00:00:00+00:00\"}");
            WriteRaw("f.json", "{\"agent_id\":\"f\",\"status\":\"failed\",\"completed_at\":\"2025-01-01T00:00:00+00:00\",\"failed_at\":\"2025-01-03T00:00:00+00:00\"}");
            WriteRaw("old.json", "{\"agent_id\":\"old\",\"status\":\"cancelled\",\"last_updated\":\"2025-01-04T00:00:00+00:00\"}");

            Assert.Null(_store.TryGet("r")!.FinishedAt);
            Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), _store.TryGet("c")!.FinishedAt);
            Assert.Equal(new DateTimeOffset(2025, 1, 3, 0, 0, 0, TimeSpan.Zero), _store.TryGet("f")!.FinishedAt);
            Assert.Equal(new DateTimeOffset(2025, 1, 4, 0, 0, 0, TimeSpan.Zero), _store.TryGet("old")!.FinishedAt);
        }

        [Theory]
        [InlineData("../x", "'/'")]
        [InlineData("a/b", "'/'")]
        [InlineData("a\\b", "'\\'")]
        [InlineData("CON", "device name")]
        [InlineData("nul.json", "device name")]
        [InlineData("COM1", "device name")]
        [InlineData("", "empty")]
        [InlineData(".hidden", "starts with a dot")]
        [InlineData("trailing.", "ends with a dot")]
        [InlineData("has space", "U+0020")]
        public void An_invalid_agent_id_is_an_error_naming_the_rule_and_writes_nothing(string id, string rule)
        {
            var error = Assert.ThrowsAny<ArgumentException>(() => _store.Create(new AgentStateDraft(id, "n", "t")));

            Assert.Contains(rule, error.Message);
            Assert.Contains("agent id", error.Message);
            Assert.False(Directory.Exists(Path.Combine(_folder.Path, "x")));
            Assert.Empty(Directory.Exists(Path.Combine(_folder.Path, "state")) ? Directory.GetFiles(Path.Combine(_folder.Path, "state")) : Array.Empty<string>());
        }

        [Fact]
        public void Ids_like_the_seeds_are_valid_and_129_characters_are_not()
        {
            Assert.Null(AgentState.IO.FileNameRules.FindViolation("L1.OVERWATCH.2"));
            Assert.Null(AgentState.IO.FileNameRules.FindViolation(new string('a', 128)));
            Assert.Contains("128", AgentState.IO.FileNameRules.FindViolation(new string('a', 129)));
        }

        [Fact]
        public void An_existing_id_is_an_error_unless_overwriting()
        {
            _store.Create(new AgentStateDraft("a1", "first", "L2"));

            Assert.Throws<AgentStateExistsException>(() => _store.Create(new AgentStateDraft("a1", "second", "L2")));
            Assert.Equal("first", _store.TryGet("a1")!.Name);

            _store.Create(new AgentStateDraft("a1", "second", "L2"), overwrite: true);
            Assert.Equal("second", _store.TryGet("a1")!.Name);
        }

        [Fact]
        public void A_seed_state_file_loads_and_an_update_keeps_everything_it_does_not_change()
        {
            WriteRaw("L2.2.1.json", SeedState);

            AgentStateRecord read = _store.TryGet("L2.2.1")!;
            Assert.Equal(AgentStatus.Running, read.Status);
            Assert.Equal("Critical Security Engineer", read.Name);
            Assert.Equal(12345, read.ProcessId);
            Assert.Equal(14400, read.EstimatedDuration);
            var local = new DateTime(2025, 11, 9, 18, 40, 0, DateTimeKind.Local);
            Assert.Equal(new DateTimeOffset(local), read.StartedAt);

            _store.Update("L2.2.1", new AgentStateChange { Progress = 40, Message = "auth fixed" });

            string after = File.ReadAllText(StateFile("L2.2.1.json"));
            string expected = SeedState
                .Replace("\"progress\": 0,", "\"progress\": 40,")
                .Replace("\"last_updated\": \"2025-11-09T19:45:00\"", "\"last_updated\": \"2026-11-21T12:00:00.000+00:00\"")
                .Replace("\"x_coordinator\": {\"shard\": 3, \"weights\": [0.5, 1e-3]}", "\"x_coordinator\": {\n    \"shard\": 3,\n    \"weights\": [\n      0.5,\n      1e-3\n    ]\n  },\n  \"progress_message\": \"auth fixed\"")
                .Replace("\r\n", "\n") + "\n";
            Assert.Equal(expected, after.Replace("\r\n", "\n") + (after.EndsWith("\n") ? "" : "\n"));
        }

        [Fact]
        public void Completing_failing_and_cancelling_stamp_their_times()
        {
            _store.Create(new AgentStateDraft("c", "n", "L2") { Status = AgentStatus.Running });
            _store.Create(new AgentStateDraft("f", "n", "L2") { Status = AgentStatus.Running });
            _store.Create(new AgentStateDraft("x", "n", "L2"));
            _now = _now.AddMinutes(5);

            AgentStateRecord completed = _store.Update("c", new AgentStateChange { Status = AgentStatus.Completed });
            AgentStateRecord failed = _store.Update("f", new AgentStateChange { Status = AgentStatus.Failed, ErrorMessage = "disk full" });
            AgentStateRecord cancelled = _store.Update("x", new AgentStateChange { Status = AgentStatus.Cancelled });

            Assert.Equal(_now, completed.CompletedAt);
            Assert.Equal(_now, completed.LastUpdated);
            Assert.Equal(_now, failed.FailedAt);
            Assert.Equal("disk full", failed.Error);
            Assert.Equal(_now, cancelled.CancelledAt);
            Assert.Null(completed.FailedAt);
        }

        [Fact]
        public void Running_stamps_started_at_once()
        {
            _store.Create(new AgentStateDraft("r", "n", "L2"));
            _now = _now.AddMinutes(1);
            Assert.Equal(_now, _store.Update("r", new AgentStateChange { Status = AgentStatus.Running }).StartedAt);
            DateTimeOffset first = _now;
            _now = _now.AddMinutes(1);

            Assert.Equal(first, _store.Update("r", new AgentStateChange { Status = AgentStatus.Running }).StartedAt);
        }

        [Theory]
        [InlineData(AgentStatus.Completed)]
        [InlineData(AgentStatus.Failed)]
        [InlineData(AgentStatus.Cancelled)]
        public void Leaving_a_finished_status_needs_force(AgentStatus finished)
        {
            _store.Create(new AgentStateDraft("a", "n", "L2") { Status = finished });

            var error = Assert.Throws<AgentTransitionException>(() => _store.Update("a", new AgentStateChange { Status = AgentStatus.Running }));
            Assert.Contains("-Force", error.Message);
            Assert.Equal(finished, _store.TryGet("a")!.Status);

            Assert.Equal(AgentStatus.Running, _store.Update("a", new AgentStateChange { Status = AgentStatus.Running, Force = true }).Status);
        }

        [Fact]
        public void Progress_outside_0_to_100_is_refused()
        {
            _store.Create(new AgentStateDraft("a", "n", "L2"));

            var tooMuch = Assert.Throws<AgentState.IO.InvalidInputException>(() => _store.Update("a", new AgentStateChange { Progress = 101 }));
            Assert.Equal("Progress must be from 0 to 100 (it is 101).", tooMuch.Message);
            Assert.Throws<AgentState.IO.InvalidInputException>(() => _store.Update("a", new AgentStateChange { Progress = -1 }));
            Assert.Equal(0, _store.TryGet("a")!.Progress);
        }

        [Fact]
        public void A_pid_of_0_is_refused_with_a_clear_error_and_nothing_is_written()
        {
            var create = Assert.Throws<InvalidInputException>(() => _store.Create(new AgentStateDraft("zero", "n", "L2") { ProcessId = 0 }));
            Assert.Contains("pid must be a process id of 1 or more (it is 0)", create.Message);
            Assert.False(File.Exists(StateFile("zero.json")));

            _store.Create(new AgentStateDraft("kept", "n", "L2"));
            string before = File.ReadAllText(StateFile("kept.json"));
            Assert.Throws<InvalidInputException>(() => _store.Update("kept", new AgentStateChange { ProcessId = -1, Progress = 50 }));
            Assert.Equal(before, File.ReadAllText(StateFile("kept.json")));
        }

        [Fact]
        public void Setting_the_recorded_pid_again_keeps_the_start_time_recorded_with_it()
        {
            WriteRaw("a.json", $"{{\"agent_id\":\"a\",\"status\":\"running\",\"pid\":{Environment.ProcessId},\"process_start_time\":\"2001-01-01T00:00:00.000+00:00\"}}");

            AgentStateRecord record = _store.Update("a", new AgentStateChange { ProcessId = Environment.ProcessId, Progress = 10 });

            Assert.Equal(new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero), record.ProcessStartTime);
        }

        [Fact]
        public void Metadata_changes_merge_into_what_is_there()
        {
            _store.Create(new AgentStateDraft("a", "n", "L2") { Metadata = new OrderedJsonObject { ["keep"] = 1, ["swap"] = "old" } });

            AgentStateRecord record = _store.Update("a", new AgentStateChange { Metadata = new OrderedJsonObject { ["swap"] = "new", ["add"] = true } });

            Assert.Equal(new[] { "keep", "swap", "add" }, record.Metadata!.Select(m => m.Key));
            Assert.Equal("new", record.Metadata!["swap"]);
        }

        [Fact]
        public void Updating_a_missing_agent_is_an_error()
        {
            Assert.Throws<AgentStateNotFoundException>(() => _store.Update("ghost", new AgentStateChange { Progress = 1 }));
        }

        [Fact]
        public void Corrupt_files_are_reported_in_a_scan_which_goes_on_with_the_rest()
        {
            _store.Create(new AgentStateDraft("good1", "n", "L2"));
            WriteRaw("broken.json", "{\"agent_id\": \"broken\", \"status\": ");
            WriteRaw("array.json", "[1,2]");
            WriteRaw("mismatch.json", "{\"agent_id\": \"other\"}");
            WriteRaw("bad name.json", "{}");
            _store.Create(new AgentStateDraft("good2", "n", "L2"));

            AgentStateEntry[] entries = _store.Scan().ToArray();

            Assert.Equal(new[] { "good1", "good2" }, entries.Where(e => e.Record != null).Select(e => e.Record!.AgentId));
            var reasons = entries.Where(e => e.Corruption != null).ToDictionary(e => Path.GetFileName(e.Path), e => e.Corruption!.Reason);
            Assert.Equal(4, reasons.Count);
            Assert.Contains("Not valid JSON", reasons["broken.json"]);
            Assert.Contains("not an object", reasons["array.json"]);
            Assert.Contains("'other'", reasons["mismatch.json"]);
            Assert.Contains("not a valid agent id", reasons["bad name.json"]);
            Assert.Throws<AgentStateCorruptException>(() => _store.TryGet("broken"));
            Assert.True(File.Exists(StateFile("broken.json")));
        }

        [Fact]
        public void The_summary_counts_by_status_and_type_and_names_the_oldest_incomplete_agent()
        {
            _store.Create(new AgentStateDraft("r1", "n", "L2") { Status = AgentStatus.Running });
            _now = _now.AddMinutes(-30);
            _store.Create(new AgentStateDraft("r0", "n", "L2") { Status = AgentStatus.Running });
            _now = _now.AddMinutes(60);
            _store.Create(new AgentStateDraft("p1", "n", "L3"));
            _store.Create(new AgentStateDraft("done", "n", "L2") { Status = AgentStatus.Completed });
            WriteRaw("corrupt.json", "{");

            AgentRecoverySummary summary = AgentRecoverySummary.Collect(_store);

            Assert.Equal(4, summary.Total);
            Assert.Equal(3, summary.Incomplete);
            Assert.Equal(1, summary.Corrupt);
            Assert.Equal(2, summary.IncompleteByStatus["running"]);
            Assert.Equal(1, summary.IncompleteByStatus["pending"]);
            Assert.Equal(2, summary.IncompleteByType["L2"]);
            Assert.Equal(1, summary.ByStatus["completed"]);
            Assert.Equal("r0", summary.OldestIncomplete!.AgentId);
            string report = summary.ToReport();
            Assert.Contains("AGENT COORDINATOR RECOVERY CHECK", report);
            Assert.Contains("Total Incomplete Agents: 3", report);
            Assert.Contains("  - running: 2", report);
            Assert.Contains("  - L3: 1", report);
            Assert.Contains("Corrupt State Files: 1", report);
        }

        [Fact]
        public void Incomplete_agents_carry_liveness_and_staleness()
        {
            _store.Create(new AgentStateDraft("me", "n", "L2") { Status = AgentStatus.Running, ProcessId = Environment.ProcessId });
            _store.Create(new AgentStateDraft("gone", "n", "L2") { Status = AgentStatus.Running, ProcessId = Processes.DeadPid() });
            WriteRaw("reused.json", $"{{\"agent_id\":\"reused\",\"status\":\"running\",\"pid\":{Environment.ProcessId},\"process_start_time\":\"2001-01-01T00:00:00.000+00:00\",\"last_updated\":\"2026-11-21T11:00:00+00:00\"}}");
            WriteRaw("elsewhere.json", $"{{\"agent_id\":\"elsewhere\",\"status\":\"running\",\"pid\":{Environment.ProcessId},\"host\":\"another-machine\",\"last_updated\":\"2026-11-21T11:59:00+00:00\"}}");
            _store.Create(new AgentStateDraft("finished", "n", "L2") { Status = AgentStatus.Completed });

            var found = AgentStateQueries.FindIncomplete(_store, TimeSpan.FromMinutes(30)).Select(x => x.Agent!).ToDictionary(a => a.AgentId);

            Assert.Equal(new[] { "elsewhere", "gone", "me", "reused" }, found.Keys.OrderBy(k => k));
            Assert.True(found["me"].ProcessAlive);
            Assert.False(found["gone"].ProcessAlive);
            Assert.False(found["reused"].ProcessAlive);
            Assert.False(found["elsewhere"].ProcessAlive);
            Assert.True(found["reused"].Stale);
            Assert.False(found["elsewhere"].Stale);
            Assert.False(found["me"].Stale);
            Assert.Equal(TimeSpan.FromMinutes(60), found["reused"].SinceUpdate);
        }

        [Fact]
        public void Cleanup_finds_only_finished_agents_older_than_the_limit()
        {
            _store.Create(new AgentStateDraft("old-done", "n", "L2") { Status = AgentStatus.Completed });
            _store.Create(new AgentStateDraft("old-failed", "n", "L2") { Status = AgentStatus.Failed });
            _store.Create(new AgentStateDraft("old-running", "n", "L2") { Status = AgentStatus.Running });
            _now = _now.AddDays(8);
            _store.Create(new AgentStateDraft("new-done", "n", "L2") { Status = AgentStatus.Completed });

            var found = AgentStateQueries.FindFinishedBefore(_store, TimeSpan.FromDays(7)).Select(e => e.Record!.AgentId).ToArray();

            Assert.Equal(new[] { "old-done", "old-failed" }, found);
        }

        [Fact]
        public void Removal_checks_its_condition_under_the_lock_and_takes_the_lock_file_with_it()
        {
            _store.Create(new AgentStateDraft("a", "n", "L2") { Status = AgentStatus.Running });
            _store.Update("a", new AgentStateChange { Progress = 5 });

            Assert.False(_store.Remove("a", r => r.Status != AgentStatus.Running));
            Assert.True(File.Exists(StateFile("a.json")));

            Assert.True(_store.Remove("a"));
            Assert.False(File.Exists(StateFile("a.json")));
            Assert.False(File.Exists(StateFile("a.json.lock")));
            Assert.False(_store.Remove("a"));
        }

        [Fact]
        public void Removing_by_path_works_only_inside_the_state_folder()
        {
            WriteRaw("corrupt.json", "{");
            string outside = _folder.File("outside.json");
            File.WriteAllText(outside, "{}");

            Assert.ThrowsAny<ArgumentException>(() => _store.RemoveFile(outside));
            Assert.True(_store.RemoveFile(StateFile("corrupt.json")));
            Assert.True(File.Exists(outside));
        }

        [Fact]
        public void Threads_updating_one_agent_lose_no_update()
        {
            _store.Create(new AgentStateDraft("shared", "n", "L2") { Status = AgentStatus.Running });
            const int threads = 8, updates = 100;

            Parallel.For(0, threads, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                var store = new AgentStateStore(_folder.Path, TimeSpan.FromMinutes(1));
                for (int i = 1; i <= updates; i++)
                {
                    store.Update("shared", new AgentStateChange { Progress = i, Metadata = new OrderedJsonObject { ["worker" + t] = i } });
                }
            });

            OrderedJsonObject metadata = _store.TryGet("shared")!.Metadata!;
            Assert.All(Enumerable.Range(0, threads), t => Assert.Equal((long)updates, metadata["worker" + t]));
        }
    }
}
