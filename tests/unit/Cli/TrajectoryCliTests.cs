using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using AgentState.Json;
using AgentState.Trajectories;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Cli
{
    public sealed class TrajectoryCliTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();

        public void Dispose() => _folder.Dispose();

        private string Start(string session)
        {
            var result = CliProcess.Run("traj", "start", "--session-id", session, "--agent-name", "a", "--agent-version", "1", "--root", _folder.Path);
            Assert.True(result.ExitCode == 0, result.StandardError);
            return result.StandardOutput.Trim();
        }

        [Fact]
        [Trait("Category", "Concurrency")]
        public void Eight_processes_appending_100_steps_each_give_800_sequential_whole_lines()
        {
            string path = Start("shared");
            var failures = new ConcurrentBag<string>();

            Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, w =>
            {
                for (int i = 0; i < 100; i++)
                {
                    var result = CliProcess.Run(new[] { "traj", "add", "--path", path, "--source", "user", "--message", $"w{w}-{i}", "--lock-timeout", "120" }, null);
                    if (result.ExitCode != 0)
                    {
                        failures.Add(result.StandardError);
                    }
                }
            });

            Assert.Empty(failures);
            TrajectoryLine[] lines = TrajectoryLineReader.Read(path).ToArray();
            Assert.All(lines, l => Assert.NotEqual(TrajectoryLineKind.Malformed, l.Kind));
            Assert.DoesNotContain(lines, l => l.Kind == TrajectoryLineKind.Torn);
            var steps = lines.Where(l => l.Kind == TrajectoryLineKind.Step).ToArray();
            Assert.Equal(Enumerable.Range(1, 800).Select(i => (long)i), steps.Select(s => TrajectoryWriter.StepId(s.Value!)));
            Assert.Equal(800, steps.Select(s => (string)s.Value!["message"]!).Distinct().Count());
        }

        [Fact]
        public async Task Tail_follows_steps_another_process_appends_and_exits_at_the_final_line()
        {
            string path = Start("live");
            using Process tail = CliProcess.Start(new[] { "traj", "tail", "--path", path, "--from-start", "--timeout", "120" });
            tail.StandardInput.Close();
            Task<string> output = tail.StandardOutput.ReadToEndAsync();

            for (int i = 0; i < 5; i++)
            {
                Assert.Equal(0, CliProcess.Run("traj", "add", "--path", path, "--source", "agent", "--message", $"step {i + 1}").ExitCode);
            }

            Assert.Equal(0, CliProcess.Run("traj", "complete", "--path", path).ExitCode);
            Assert.True(tail.WaitForExit(60_000), "traj tail did not stop at the final line");

            string[] printed = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(6, printed.Length);
            Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, printed.Take(5).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step_id").GetInt64()));
            Assert.True(JsonDocument.Parse(printed[5]).RootElement.GetProperty("__final__").GetBoolean());
        }

        [Fact]
        public void Errors_have_their_exit_codes_and_name_the_rule()
        {
            string path = Start("errs");

            var invalid = CliProcess.Run("traj", "add", "--path", path, "--source", "user", "--message", "m", "--metrics", "{\"prompt_tokens\":1}");
            var badId = CliProcess.Run("traj", "start", "--session-id", "a/b", "--agent-name", "a", "--agent-version", "1", "--root", _folder.Path);
            var exists = CliProcess.Run("traj", "start", "--session-id", "errs", "--agent-name", "a", "--agent-version", "1", "--root", _folder.Path);
            var both = CliProcess.Run("traj", "add", "--path", path, "--session-id", "errs");
            var missing = CliProcess.Run("traj", "steps", "--session-id", "nope", "--root", _folder.Path);

            Assert.Equal(1, invalid.ExitCode);
            Assert.Contains("metrics is only allowed on agent steps", invalid.StandardError);
            Assert.Equal(2, badId.ExitCode);
            Assert.Equal(1, exists.ExitCode);
            Assert.Contains("already has a trajectory", exists.StandardError);
            Assert.Equal(2, both.ExitCode);
            Assert.Equal(1, missing.ExitCode);
            Assert.Single(File.ReadAllLines(path));
        }

        [Fact]
        public void Export_list_and_repair_work_from_the_shell()
        {
            string path = Start("full");
            CliProcess.Run("traj", "add", "--path", path, "--source", "agent", "--message", "m", "--tool-call", "{\"tool_call_id\":\"c1\",\"function_name\":\"f\",\"arguments\":{}}",
                "--observation", "{\"results\":[{\"source_call_id\":\"c1\",\"content\":\"ok\"}]}");
            File.AppendAllText(path, "{\"step_id\":2,");

            var list = CliProcess.Run("traj", "list", "--root", _folder.Path, "--json");
            JsonElement summary = JsonDocument.Parse(list.StandardOutput.Trim()).RootElement;
            Assert.Equal("in_progress", summary.GetProperty("status").GetString());
            Assert.Equal(13, summary.GetProperty("torn_bytes").GetInt32());

            var repair = CliProcess.Run("traj", "repair", "--path", path, "--mark-failed");
            Assert.Equal(0, repair.ExitCode);
            Assert.Contains("move 13 torn bytes", repair.StandardOutput);
            Assert.Equal("{\"step_id\":2,", File.ReadAllText(path + ".torn"));
            string[] lines = File.ReadAllText(path).Split('\n');
            Assert.Equal(string.Empty, lines[^1]);
            Assert.StartsWith("{\"__final__\":true,\"status\":\"failed\"", lines[^2]);
            Assert.StartsWith("{\"step_id\":1,", lines[^3]);

            string destination = _folder.File("out.json");
            Assert.Equal(0, CliProcess.Run("traj", "export", "--path", path, "-o", destination).ExitCode);
            var document = (OrderedJsonObject)JsonTreeReader.Read(File.ReadAllBytes(destination)).Root!;
            AtifValidator.ValidateDocument(document);
            Assert.Equal(1L, ((OrderedJsonObject)document["final_metrics"]!)["total_steps"]);
        }

        [Fact]
        public void Traj_add_sets_a_torn_tail_aside_byte_for_byte_before_appending()
        {
            string path = Start("torn");
            Assert.Equal(0, CliProcess.Run("traj", "add", "--path", path, "--source", "user", "--message", "one").ExitCode);
            byte[] whole = File.ReadAllBytes(path);
            File.AppendAllText(path, "{\"step_id\":2,\"source\":\"ag");

            var added = CliProcess.Run("traj", "add", "--path", path, "--source", "user", "--message", "two");

            Assert.Equal(0, added.ExitCode);
            Assert.Equal("{\"step_id\":2,\"source\":\"ag", File.ReadAllText(path + ".torn"));
            byte[] now = File.ReadAllBytes(path);
            Assert.Equal(whole, now.Take(whole.Length).ToArray());
            string appended = System.Text.Encoding.UTF8.GetString(now, whole.Length, now.Length - whole.Length);
            Assert.StartsWith("{\"step_id\":2,\"timestamp\":", appended);
            Assert.Contains("\"source\":\"user\",\"message\":\"two\"}", appended);
            Assert.EndsWith("}\n", appended);
            Assert.DoesNotContain('\n', appended.TrimEnd('\n'));
        }
    }
}
