using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using AgentState.Json;
using AgentState.Runs;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Cli
{
    /// <summary>`agentstate run ...` as a real process.</summary>
    public sealed class RunCliTests : IDisposable
    {
        private static readonly string[] Volatile = { "createdAt", "updatedAt", "startedAt", "completedAt", "savedAt", "time", "durationMs" };
        private readonly TestFolder _folder = new TestFolder();

        public void Dispose() => _folder.Dispose();

        private string RootOf(string name) => Path.Combine(_folder.Path, name);

        private CliProcess.Result Run(string root, params string[] args)
        {
            CliProcess.Result result = CliProcess.Run(new[] { "run" }.Concat(args).Concat(new[] { "--root", root }).ToArray(), null);
            return result;
        }

        private CliProcess.Result Ok(string root, params string[] args)
        {
            CliProcess.Result result = Run(root, args);
            Assert.True(result.ExitCode == 0, $"agentstate run {string.Join(' ', args)} exited {result.ExitCode}: {result.StandardError}");
            return result;
        }

        private string WriteJson(string name, string json)
        {
            string path = _folder.File(name);
            File.WriteAllText(path, json);
            return path;
        }

        [Fact]
        public void Three_iterations_through_the_cli_write_the_same_files_field_by_field_as_the_engine()
        {
            string cli = RootOf("cli"), engine = RootOf("engine");
            var store = new RunStore(engine);
            Ok(cli, "new", "r3", "--work-order", "wo-9", "--session", "s-9", "--meta", "owner=ops");
            store.Create(new RunDraft { Id = "r3", WorkOrderId = "wo-9", SessionId = "s-9", Metadata = new OrderedJsonObject { ["owner"] = "ops" } });

            for (int n = 1; n <= 3; n++)
            {
                bool last = n == 3;
                string strategy = WriteJson($"strategy-{n}.json", $"{{\"kind\":\"fixed\",\"left\":{3 - n}}}");
                Ok(cli, "iteration", "r3", "-n", $"{n}", "--start", "--profile", "default", "--strategy-from", strategy);
                store.SaveIteration("r3", new IterationDraft(n) { Complete = false, HarnessProfile = "default", LoopStrategy = new OrderedJsonObject { ["kind"] = "fixed", ["left"] = (long)(3 - n) } });

                string agent = WriteJson($"agent-{n}.json", "{\"stdout\":\"wrote a.ts\\n\",\"stderr\":\"" + (last ? string.Empty : "error TS2322\\n") + "\",\"toolCalls\":[{\"tool\":\"edit\",\"file\":\"a.ts\"}],"
                    + $"\"tokensUsed\":{{\"prompt\":{100 * n},\"completion\":{10 * n},\"cached\":5,\"cost\":0.25}},\"durationMs\":45000,\"success\":true,\"model\":\"sonnet\",\"sessionId\":\"s-9\",\"exitCode\":0,\"x_driver\":\"claude\"}}");
                Ok(cli, "result", "r3", "-n", $"{n}", "--from", agent);
                store.SaveAgentResult("r3", new AgentResultDraft(n)
                {
                    Stdout = AgentOutput.FromText("wrote a.ts\n"),
                    Stderr = AgentOutput.FromText(last ? string.Empty : "error TS2322\n"),
                    ToolCalls = new List<object?> { new OrderedJsonObject { ["tool"] = "edit", ["file"] = "a.ts" } },
                    Extra = new OrderedJsonObject { ["tokensUsed"] = new OrderedJsonObject { ["prompt"] = 100L * n, ["completion"] = 10L * n, ["cached"] = 5L, ["cost"] = 0.25m }, ["x_driver"] = "claude" },
                    DurationMs = 45000,
                    Success = true,
                    Model = "sonnet",
                    SessionId = "s-9",
                    ExitCode = 0,
                });

                string report = WriteJson($"report-{n}.json", $"{{\"levels\":[{{\"name\":\"typecheck\",\"passed\":{(last ? "true" : "false")}}},{{\"name\":\"lint\",\"passed\":true}}],\"custom\":\"kept\"}}");
                Ok(cli, "verification", "r3", "-n", $"{n}", "--from", report);
                store.SaveVerification("r3", n, JsonTreeReader.Read(File.ReadAllBytes(report)).Root);

                if (last)
                {
                    Ok(cli, "iteration", "r3", "-n", $"{n}", "--result", "passed");
                    store.SaveIteration("r3", new IterationDraft(n) { Result = "passed" });
                }
                else
                {
                    Ok(cli, "iteration", "r3", "-n", $"{n}", "--result", "failed_verification", "--error-type", "TypecheckFailed", "--error-message", "typecheck failed", "--error-file", $"verification-{n}.json");
                    store.SaveIteration("r3", new IterationDraft(n) { Result = "failed_verification", Error = new RunError(RunErrorType.TypecheckFailed, "typecheck failed", $"verification-{n}.json") });
                }
            }

            Assert.Equal("r3 succeeded passed", Ok(cli, "complete", "r3").StandardOutput.Trim());
            store.Complete("r3", new RunCompletion());

            string[] files = Directory.GetFiles(Path.Combine(engine, "r3"), "*.json").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;
            Assert.Equal(new[] { "agent-1.json", "agent-2.json", "agent-3.json", "iteration-1.json", "iteration-2.json", "iteration-3.json", "run.json", "verification-1.json", "verification-2.json", "verification-3.json" }, files);
            Assert.Equal(files, Directory.GetFiles(Path.Combine(cli, "r3"), "*.json").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray());
            foreach (string name in files)
            {
                AssertSameFields(Path.Combine(engine, "r3", name), Path.Combine(cli, "r3", name));
            }

            string[] engineEvents = File.ReadAllLines(Path.Combine(engine, "r3", "events.jsonl"));
            string[] cliEvents = File.ReadAllLines(Path.Combine(cli, "r3", "events.jsonl"));
            Assert.Equal(engineEvents.Length, cliEvents.Length);
            for (int i = 0; i < engineEvents.Length; i++)
            {
                Assert.True(JsonCompare.Same(Stable(JsonDocument.Parse(engineEvents[i]).RootElement), Stable(JsonDocument.Parse(cliEvents[i]).RootElement)), $"event {i + 1}: {engineEvents[i]} vs {cliEvents[i]}");
            }

            // And the values themselves, so that a mistake made the same way in both cannot pass.
            JsonElement agent2 = JsonDocument.Parse(File.ReadAllText(Path.Combine(cli, "r3", "agent-2.json"))).RootElement;
            Assert.Equal(("wrote a.ts\n", "error TS2322\n", 200, "claude"), (agent2.GetProperty("stdout").GetString(), agent2.GetProperty("stderr").GetString(),
                agent2.GetProperty("tokensUsed").GetProperty("prompt").GetInt32(), agent2.GetProperty("x_driver").GetString()));
            JsonElement run = JsonDocument.Parse(Ok(cli, "show", "r3").StandardOutput).RootElement;
            Assert.Equal(("succeeded", "passed", 3, "ops"), (run.GetProperty("state").GetString(), run.GetProperty("result").GetString(), run.GetProperty("iteration").GetInt32(), run.GetProperty("metadata").GetProperty("owner").GetString()));
            JsonElement shown = JsonDocument.Parse(Ok(cli, "show", "r3", "--iteration", "1").StandardOutput).RootElement;
            Assert.Equal("TypecheckFailed", shown.GetProperty("iteration").GetProperty("error").GetProperty("type").GetString());
            Assert.Equal(new[] { "typecheck" }, shown.GetProperty("verification").GetProperty("failingChecks").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(1 + 3 * 4 + 1, cliEvents.Length);
        }

        [Fact]
        public void A_seed_form_run_json_is_completed_through_the_cli_without_losing_a_field()
        {
            string root = RootOf("seed");
            Directory.CreateDirectory(Path.Combine(root, "ac31daa7"));
            string path = Path.Combine(root, "ac31daa7", "run.json");
            File.WriteAllText(path, "{\"id\":\"ac31daa7\",\"workOrderId\":\"2wTJMIsqVEVm\",\"state\":\"running\",\"result\":null,\"error\":null,\"sessionId\":\"2de21b33\",\"x_tool\":[1,2]}\n");

            Assert.Equal("ac31daa7\trunning\t-\t0\t-", Ok(root, "list").StandardOutput.Trim());
            Ok(root, "complete", "ac31daa7", "--error-type", "agent_crash", "--error-message", "Build failed");

            JsonElement json = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
            Assert.Equal(("2wTJMIsqVEVm", "2de21b33", "failed", "failed_build", "Build failed", "AgentCrash"), (json.GetProperty("workOrderId").GetString(), json.GetProperty("sessionId").GetString(),
                json.GetProperty("state").GetString(), json.GetProperty("result").GetString(), json.GetProperty("error").GetString(), json.GetProperty("errorDetails").GetProperty("type").GetString()));
            Assert.Equal("[1,2]", json.GetProperty("x_tool").GetRawText());
        }

        [Fact]
        public void Bad_input_is_a_clear_error_and_changes_nothing()
        {
            string root = RootOf("bad");
            Assert.Equal(2, Run(root, "new", "../escape").ExitCode);
            Assert.False(Directory.Exists(root));
            Ok(root, "new", "r");
            string before = File.ReadAllText(Path.Combine(root, "r", "run.json"));

            CliProcess.Result missing = Run(root, "result", "nope", "-n", "1");
            Assert.Equal(1, missing.ExitCode);
            Assert.Contains("no run 'nope'", missing.StandardError);
            CliProcess.Result type = Run(root, "complete", "r", "--error-type", "Exploded");
            Assert.Equal(2, type.ExitCode);
            Assert.Contains("'Exploded' is not an error type", type.StandardError);
            string notJson = WriteJson("bad.json", "{\"passed\": tru");
            CliProcess.Result report = Run(root, "verification", "r", "-n", "1", "--from", notJson);
            Assert.Equal(2, report.ExitCode);
            Assert.Contains(notJson, report.StandardError);
            Assert.Equal(2, Run(root, "result", "r", "-n", "0").ExitCode);
            Assert.Equal(before, File.ReadAllText(Path.Combine(root, "r", "run.json")));
            Assert.Single(File.ReadAllLines(Path.Combine(root, "r", "events.jsonl")));

            Ok(root, "complete", "r");
            CliProcess.Result again = Run(root, "complete", "r", "--state", "failed");
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("cannot be completed again", again.StandardError);
            Assert.Equal(1, Run(RootOf("missing-root"), "list").ExitCode);
        }

        [Fact]
        public void Four_processes_saving_into_one_run_leave_every_event_once_and_in_order()
        {
            string root = RootOf("busy");
            Ok(root, "new", "busy");
            Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, w =>
            {
                for (int i = 1; i <= 3; i++)
                {
                    string n = (w * 3 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    Ok(root, "result", "busy", "-n", n, "--exit-code", "0", "--lock-timeout", "120");
                    Ok(root, "iteration", "busy", "-n", n, "--result", "passed", "--lock-timeout", "120");
                }
            });

            string[] lines = Ok(root, "events", "busy").StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var events = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(1 + 12 * 3, events.Count);
            Assert.Equal(Enumerable.Range(1, events.Count), events.Select(e => e.GetProperty("seq").GetInt32()));
            var keys = events.Select(e => (e.GetProperty("type").GetString(), e.TryGetProperty("iteration", out JsonElement n) ? n.GetInt32() : 0)).ToList();
            Assert.Equal(keys.Count, keys.Distinct().Count());
            foreach (var iteration in keys.Where(k => k.Item2 > 0).GroupBy(k => k.Item2))
            {
                Assert.Equal(new[] { "iteration:start", "agent:complete", "iteration:complete" }, iteration.Select(k => k.Item1));
            }

            var times = events.Select(e => DateTimeOffset.Parse(e.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(times.OrderBy(t => t), times);
        }

        [Fact]
        public void Exec_captures_a_signal_crash_and_diagnose_explains_it()
        {
            string root = RootOf("exec");
            Ok(root, "new", "x");
            CliProcess.Result exec = CliProcess.Run("run", "exec", "x", "-n", "1", "--root", root, "--", "/bin/sh", "-c", "echo compiling; echo 'segfault in parser' >&2; kill -SEGV $$");

            Assert.Equal(1, exec.ExitCode);
            Assert.Contains("AgentCrash: The agent was killed by signal 11.", exec.StandardError);
            Assert.Equal(Path.Combine(root, "x", "agent-1.json"), exec.StandardOutput.Trim());
            Assert.Equal("compiling\n", File.ReadAllText(Path.Combine(root, "x", "agent-1.stdout.log")));

            JsonElement diagnosis = JsonDocument.Parse(Ok(root, "diagnose", "x", "--json").StandardOutput).RootElement;
            Assert.Equal(("AgentCrash", 11, 139, true), (diagnosis.GetProperty("errorType").GetString(), diagnosis.GetProperty("signal").GetInt32(), diagnosis.GetProperty("exitCode").GetInt32(), diagnosis.GetProperty("failed").GetBoolean()));
            Assert.Equal(new[] { "segfault in parser" }, diagnosis.GetProperty("stderrTail").EnumerateArray().Select(e => e.GetString()));
            string text = Ok(root, "diagnose", "x").StandardOutput;
            Assert.Contains("What: AgentCrash (exit code 139, signal 11)", text);
            Assert.Contains(Path.Combine(root, "x", "agent-1.stderr.log"), text);
        }

        [Fact]
        public void Exec_past_its_timeout_kills_the_agent_and_its_children()
        {
            string root = RootOf("timeout");
            Ok(root, "new", "t");
            CliProcess.Result exec = CliProcess.Run("run", "exec", "t", "-n", "1", "--timeout", "2", "--root", root, "--", "/bin/sh", "-c", "sleep 600 & echo $!; sleep 600");

            Assert.Equal(1, exec.ExitCode);
            Assert.Contains("Timeout: The agent ran past its timeout of 2 s", exec.StandardError);
            int grandchild = int.Parse(File.ReadAllText(Path.Combine(root, "t", "agent-1.stdout.log")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(File.Exists($"/proc/{grandchild}/stat") && !File.ReadAllText($"/proc/{grandchild}/stat").Contains(") Z "), $"the agent's child {grandchild} still runs");
            Assert.Equal("Timeout", JsonDocument.Parse(Ok(root, "diagnose", "t", "--json").StandardOutput).RootElement.GetProperty("errorType").GetString());
        }

        [Fact]
        public async Task Events_follow_prints_what_another_process_appends_until_the_run_completes()
        {
            string root = RootOf("follow");
            Ok(root, "new", "f");
            using var follower = CliProcess.Start(new[] { "run", "events", "f", "--follow", "--from-start", "--timeout", "120", "--root", root });
            follower.StandardInput.Close();
            Task<string> output = follower.StandardOutput.ReadToEndAsync();
            Ok(root, "result", "f", "-n", "1");
            Ok(root, "complete", "f");
            await follower.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
            string[] types = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()!).ToArray();

            Assert.Equal(new[] { "run:start", "iteration:start", "agent:complete", "run:complete" }, types);
            Assert.Equal(0, follower.ExitCode);
        }

        private static void AssertSameFields(string expectedPath, string actualPath)
        {
            JsonElement expected = Stable(JsonDocument.Parse(File.ReadAllText(expectedPath)).RootElement);
            JsonElement actual = Stable(JsonDocument.Parse(File.ReadAllText(actualPath)).RootElement);
            Assert.True(JsonCompare.Same(expected, actual), $"{Path.GetFileName(actualPath)} differs:\nengine {expected.GetRawText()}\ncli    {actual.GetRawText()}");
            Assert.Equal(Names(expected), Names(actual));
        }

        private static string[] Names(JsonElement e) => e.EnumerateObject().Select(p => p.Name).ToArray();

        /// <summary>The document without the members that differ by when it was written.</summary>
        private static JsonElement Stable(JsonElement element)
        {
            var copy = new Dictionary<string, JsonElement>();
            foreach (JsonProperty p in element.EnumerateObject())
            {
                if (!Volatile.Contains(p.Name))
                {
                    copy[p.Name] = p.Value.ValueKind == JsonValueKind.Object ? Stable(p.Value) : p.Value;
                }
            }

            return JsonDocument.Parse(JsonSerializer.Serialize(copy)).RootElement;
        }
    }
}
