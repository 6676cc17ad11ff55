using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Cli
{
    public sealed class RecoverAndStateCliTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();

        public void Dispose() => _folder.Dispose();

        private CliProcess.Result Run(params string[] args) => CliProcess.Run(args.Concat(new[] { "--root", _folder.Path }).ToArray(), null);

        private JsonElement Read(string id) => JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder.Path, "state", id + ".json"))).RootElement;

        [Fact]
        public void Recover_check_on_the_bundled_example_reports_what_the_readme_promises()
        {
            var result = CliProcess.Run("recover", "check", "--root", Path.Combine(RepoPaths.Root, "examples", "agent-deployment"), "--json");

            Assert.Equal(0, result.ExitCode);
            JsonElement summary = JsonDocument.Parse(result.StandardOutput).RootElement;
            Assert.Equal(5, summary.GetProperty("total").GetInt32());
            Assert.Equal(3, summary.GetProperty("total_incomplete").GetInt32());
            Assert.Equal(2, summary.GetProperty("by_status").GetProperty("running").GetInt32());
            Assert.Equal(1, summary.GetProperty("all_by_status").GetProperty("completed").GetInt32());
            Assert.Equal(1, summary.GetProperty("all_by_status").GetProperty("failed").GetInt32());
            Assert.Equal(1, summary.GetProperty("corrupt").GetInt32());
            Assert.Equal("L2.2.1", summary.GetProperty("oldest_incomplete").GetString());
        }

        [Fact]
        public void State_new_set_get_walk_an_agent_through_its_life()
        {
            Assert.Equal(0, Run("state", "new", "L2.TEST.1", "--name", "Test Agent", "--type", "L2", "--status", "running", "--model", "haiku").ExitCode);
            Assert.Equal(0, Run("state", "set", "L2.TEST.1", "--progress", "50", "--message", "half", "--meta", "ticket=CC-1").ExitCode);
            Assert.Equal(0, Run("state", "set", "L2.TEST.1", "--status", "failed", "--error", "boom").ExitCode);

            JsonElement state = Read("L2.TEST.1");
            Assert.Equal("failed", state.GetProperty("status").GetString());
            Assert.Equal(50, state.GetProperty("progress").GetInt32());
            Assert.Equal("boom", state.GetProperty("error").GetString());
            Assert.Equal("CC-1", state.GetProperty("metadata").GetProperty("ticket").GetString());
            Assert.True(state.TryGetProperty("failed_at", out _));

            var get = Run("state", "get", "L2.TEST.1");
            Assert.Equal(0, get.ExitCode);
            Assert.Equal("failed", JsonDocument.Parse(get.StandardOutput).RootElement.GetProperty("status").GetString());
        }

        [Fact]
        public void State_errors_have_the_right_exit_codes()
        {
            Run("state", "new", "a1", "--name", "n", "--type", "L2", "--status", "completed");

            var badId = Run("state", "new", "../x", "--name", "n", "--type", "L2");
            var exists = Run("state", "new", "a1", "--name", "n", "--type", "L2");
            var transition = Run("state", "set", "a1", "--status", "running");
            var missing = Run("state", "set", "ghost", "--progress", "1");
            var range = Run("state", "set", "a1", "--progress", "150");

            Assert.Equal(2, badId.ExitCode);
            Assert.Contains("not a valid agent id", badId.StandardError);
            Assert.Equal(1, exists.ExitCode);
            Assert.Contains("already has a state file", exists.StandardError);
            Assert.Equal(1, transition.ExitCode);
            Assert.Contains("needs -Force", transition.StandardError);
            Assert.Equal(1, missing.ExitCode);
            Assert.Contains("has no state file", missing.StandardError);
            Assert.Equal(2, range.ExitCode);
            Assert.Equal("completed", Read("a1").GetProperty("status").GetString());
            Assert.False(Directory.Exists(Path.Combine(_folder.Path, "x")));
        }

        [Fact]
        public void Recover_list_names_incomplete_agents_and_warns_about_corrupt_files()
        {
            Run("state", "new", "run1", "--name", "Runner", "--type", "L2", "--status", "running");
            Run("state", "new", "done1", "--name", "Done", "--type", "L2", "--status", "completed");
            File.WriteAllText(Path.Combine(_folder.Path, "state", "torn.json"), "{\"agent_id\":");

            var result = Run("recover", "list");

            Assert.Equal(0, result.ExitCode);
            Assert.Contains("Agent ID: run1", result.StandardOutput);
            Assert.DoesNotContain("done1", result.StandardOutput);
            Assert.Contains("Total: 1 incomplete agents", result.StandardOutput);
            Assert.Contains("torn.json", result.StandardError);
            Assert.Contains("corrupt", result.StandardError);
        }

        [Fact]
        public void Recover_clear_needs_yes_and_then_removes_only_incomplete_agents()
        {
            Run("state", "new", "run1", "--name", "n", "--type", "L2", "--status", "running");
            Run("state", "new", "pend1", "--name", "n", "--type", "L2");
            Run("state", "new", "done1", "--name", "n", "--type", "L2", "--status", "completed");

            var refused = Run("recover", "clear");
            Assert.Equal(2, refused.ExitCode);
            Assert.True(File.Exists(Path.Combine(_folder.Path, "state", "run1.json")));

            var cleared = Run("recover", "clear", "--yes");
            Assert.Equal(0, cleared.ExitCode);
            Assert.Equal(new[] { "done1.json" }, Directory.GetFiles(Path.Combine(_folder.Path, "state"), "*.json").Select(Path.GetFileName));
        }

        [Fact]
        public void Cleanup_removes_old_finished_agents_and_never_an_incomplete_one()
        {
            Directory.CreateDirectory(Path.Combine(_folder.Path, "state"));
            File.WriteAllText(Path.Combine(_folder.Path, "state", "old.json"), "{\"agent_id\":\"old\",\"status\":\"completed\",\"completed_at\":\"2020-01-01T00:00:00+00:00\"}");
            File.WriteAllText(Path.Combine(_folder.Path, "state", "oldrun.json"), "{\"agent_id\":\"oldrun\",\"status\":\"running\",\"last_updated\":\"2020-01-01T00:00:00+00:00\"}");
            Run("state", "new", "fresh", "--name", "n", "--type", "L2", "--status", "completed");

            var dry = Run("state", "cleanup", "--keep-days", "7", "--dry-run");
            Assert.Contains("would remove old", dry.StandardOutput);
            Assert.True(File.Exists(Path.Combine(_folder.Path, "state", "old.json")));

            var done = Run("state", "cleanup", "--keep-days", "7");
            Assert.Equal(0, done.ExitCode);
            Assert.Equal(new[] { "fresh.json", "oldrun.json" }, Directory.GetFiles(Path.Combine(_folder.Path, "state"), "*.json").Select(Path.GetFileName).OrderBy(n => n));
        }

        [Fact]
        [Trait("Category", "Concurrency")]
        public void Eight_processes_updating_one_agent_lose_no_update()
        {
            Run("state", "new", "shared", "--name", "Shared", "--type", "L2", "--status", "running");
            const int workers = 8, updates = 60;
            var failures = new ConcurrentBag<string>();

            // Real threads, all released at once, each running its processes back to back. Every update adds its own
            // key, so any update lost to a read-modify-write race shows as a missing key, not only the last one.
            // The lock timeout is for a loaded machine: a waiter that gives up is a failure of its own, reported below.
            using var barrier = new Barrier(workers);
            Thread[] threads = Enumerable.Range(0, workers).Select(w => new Thread(() =>
            {
                barrier.SignalAndWait();
                for (int i = 1; i <= updates; i++)
                {
                    var result = Run("state", "set", "shared", "--progress", (i % 101).ToString(), "--meta", $"w{w}u{i}={i}", "--lock-timeout", "600");
                    if (result.ExitCode != 0)
                    {
                        failures.Add(result.StandardError);
                    }
                }
            })).ToArray();
            Array.ForEach(threads, t => t.Start());
            Array.ForEach(threads, t => t.Join());

            Assert.Empty(failures);
            JsonElement metadata = Read("shared").GetProperty("metadata");
            string[] expected = Enumerable.Range(0, workers).SelectMany(w => Enumerable.Range(1, updates).Select(i => $"w{w}u{i}")).OrderBy(k => k).ToArray();
            Assert.Equal(expected, metadata.EnumerateObject().Select(p => p.Name).OrderBy(k => k).ToArray());
        }
    }
}
