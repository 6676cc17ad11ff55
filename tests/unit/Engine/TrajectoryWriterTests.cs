using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using AgentState.Json;
using AgentState.Trajectories;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    public sealed class TrajectoryWriterTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();
        private DateTimeOffset _now = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

        public void Dispose() => _folder.Dispose();

        private TrajectoryWriterOptions Options => new TrajectoryWriterOptions { Clock = () => _now };

        private TrajectoryWriter Start(string session = "s1") =>
            TrajectoryWriter.Start(new TrajectoryStart(_folder.Path, "MechaCoder", "2.0") { SessionId = session, ModelName = "claude" }, Options);

        private static OrderedJsonObject Step(string json) => (OrderedJsonObject)JsonTreeReader.Read(json).Root!;

        private static string[] Lines(string path) => File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        [Fact]
        public void Start_writes_the_header_line_and_an_in_progress_index_under_a_date_folder()
        {
            using TrajectoryWriter writer = Start();

            Assert.Equal(Path.Combine(_folder.Path, "20261121", "s1.atif.jsonl"), writer.Path);
            Assert.Equal("{\"__header__\":true,\"schema_version\":\"ATIF-v1.4\",\"session_id\":\"s1\",\"agent\":{\"name\":\"MechaCoder\",\"version\":\"2.0\",\"model_name\":\"claude\"},\"created_at\":\"2026-11-21T09:00:00.000+00:00\"}\n",
                File.ReadAllText(writer.Path));
            TrajectoryIndex index = TrajectoryIndex.TryRead(writer.IndexPath)!;
            Assert.Equal(TrajectoryStatus.InProgress, index.Status);
            Assert.Equal(0, index.LastStepId);
            Assert.Equal(new FileInfo(writer.Path).Length, index.ByteOffset);
        }

        [Fact]
        public void A_generated_session_id_has_the_documented_shape_and_an_existing_one_is_refused()
        {
            using (TrajectoryWriter generated = TrajectoryWriter.Start(new TrajectoryStart(_folder.Path, "a", "1"), Options))
            {
                Assert.Matches("^session-20261121T090000Z-[0-9a-f]{8}$", generated.SessionId);
            }

            Start("dup").Dispose();
            _now = _now.AddDays(1); // Another date folder: still the same session.
            var error = Assert.Throws<TrajectoryExistsException>(() => Start("dup"));
            Assert.Contains("dup", error.Message);
            Assert.ThrowsAny<ArgumentException>(() => Start("../escape"));
        }

        [Fact]
        public void Steps_get_the_next_id_and_a_timestamp_and_are_one_line_each()
        {
            using TrajectoryWriter writer = Start();

            OrderedJsonObject first = writer.Append(Step("{\"source\":\"user\",\"message\":\"Wire e2eCommands\"}"));
            _now = _now.AddSeconds(3);
            OrderedJsonObject second = writer.Append(Step("{\"source\":\"agent\",\"message\":\"I'll explore\\nfirst\",\"tool_calls\":[{\"tool_call_id\":\"c1\",\"function_name\":\"read\",\"arguments\":{\"path\":\"a.ts\"}}],\"observation\":{\"results\":[{\"source_call_id\":\"c1\",\"content\":\"...\"}]}}"));

            Assert.Equal(1L, first["step_id"]);
            Assert.Equal(2L, second["step_id"]);
            Assert.Equal("2026-11-21T09:00:03.000+00:00", second["timestamp"]);
            string[] lines = Lines(writer.Path);
            Assert.Equal(3, lines.Length);
            Assert.StartsWith("{\"step_id\":2,\"timestamp\":\"2026-11-21T09:00:03.000+00:00\",\"source\":\"agent\",\"message\":\"I'll explore\\nfirst\",\"tool_calls\":", lines[2]);
        }

        [Fact]
        public void Token_counts_beyond_long_and_costs_beyond_decimal_are_summed_exactly_and_never_fail_after_the_write()
        {
            string path;
            using (TrajectoryWriter writer = Start())
            {
                path = writer.Path;
                var metrics = new OrderedJsonObject { ["prompt_tokens"] = System.Numerics.BigInteger.Parse("99999999999999999999"), ["cost_usd"] = 1e30 };
                writer.Append(new OrderedJsonObject { ["source"] = "agent", ["message"] = "huge", ["metrics"] = metrics });
                writer.Append(Step("{\"source\":\"agent\",\"message\":\"small\",\"metrics\":{\"prompt_tokens\":1,\"cost_usd\":1e300}}"));
                writer.Complete();
            }

            Assert.Equal(4, Lines(path).Length); // Header, both steps, the final line.
            Assert.Contains("\"total_prompt_tokens\":100000000000000000000,\"total_cost_usd\":1E+300,\"total_steps\":2", Lines(path).Last());
        }

        [Fact]
        public void A_step_id_given_as_a_big_integer_is_checked_like_any_other()
        {
            using TrajectoryWriter writer = Start();

            writer.Append(new OrderedJsonObject { ["step_id"] = new System.Numerics.BigInteger(1), ["source"] = "user", ["message"] = "one" });
            var error = Assert.Throws<AtifValidationException>(() =>
                writer.Append(new OrderedJsonObject { ["step_id"] = System.Numerics.BigInteger.Parse("99999999999999999999"), ["source"] = "user", ["message"] = "far" }));

            Assert.Contains("step_id must be 2", error.Message);
            Assert.Equal(2, Lines(writer.Path).Length);
        }

        public static TheoryData<string, string> InvalidSteps => new TheoryData<string, string>
        {
            { "{\"source\":\"user\",\"message\":\"m\",\"thoughts\":\"x\"}", "unknown field 'thoughts'" },
            { "{\"step_id\":5,\"source\":\"user\",\"message\":\"m\"}", "step_id must be 1" },
            { "{\"step_id\":\"1\",\"source\":\"user\",\"message\":\"m\"}", "step_id is required and must be an integer" },
            { "{\"source\":\"robot\",\"message\":\"m\"}", "source is required and must be one of system, user, agent" },
            { "{\"source\":\"user\"}", "message is required" },
            { "{\"source\":\"user\",\"message\":\"m\",\"timestamp\":\"yesterday\"}", "timestamp must be an ISO 8601 timestamp" },
            { "{\"source\":\"user\",\"message\":\"m\",\"model_name\":\"x\"}", "model_name is only allowed on agent steps" },
            { "{\"source\":\"system\",\"message\":\"m\",\"reasoning_content\":\"x\"}", "reasoning_content is only allowed on agent steps" },
            { "{\"source\":\"user\",\"message\":\"m\",\"reasoning_effort\":\"low\"}", "reasoning_effort is only allowed on agent steps" },
            { "{\"source\":\"user\",\"message\":\"m\",\"tool_calls\":[]}", "tool_calls is only allowed on agent steps" },
            { "{\"source\":\"system\",\"message\":\"m\",\"metrics\":{}}", "metrics is only allowed on agent steps" },
            { "{\"source\":\"user\",\"message\":\"m\",\"observation\":{\"results\":[]}}", "observation is only allowed on agent and system steps" },
            { "{\"source\":\"agent\",\"message\":\"m\",\"tool_calls\":[{\"tool_call_id\":\"a\",\"function_name\":\"f\",\"arguments\":{}}],\"observation\":{\"results\":[{\"source_call_id\":\"b\",\"content\":\"x\"}]}}", "'b' names no tool_call_id of this step" },
            { "{\"source\":\"agent\",\"message\":\"m\",\"tool_calls\":[{\"tool_call_id\":\"a\",\"function_name\":\"f\"}]}", "arguments: is required and must be an object" },
            { "{\"source\":\"agent\",\"message\":\"m\",\"tool_calls\":[{\"tool_call_id\":\"a\",\"function_name\":\"f\",\"arguments\":\"x=1\"}]}", "arguments: is required and must be an object" },
            { "{\"source\":\"agent\",\"message\":\"m\",\"tool_calls\":[{\"tool_call_id\":\"a\",\"function_name\":\"f\",\"arguments\":{}},{\"tool_call_id\":\"a\",\"function_name\":\"g\",\"arguments\":{}}]}", "tool_call_id 'a' appears twice" },
            { "{\"source\":\"agent\",\"message\":\"m\",\"tool_calls\":[{\"function_name\":\"f\",\"arguments\":{}}]}", "tool_call_id is required" },
            { "{\"source\":\"agent\",\"message\":\"m\",\"metrics\":{\"prompt_tokens\":1.5}}", "prompt_tokens: must be an integer" },
            { "{\"source\":\"agent\",\"message\":\"m\",\"metrics\":{\"tokens\":1}}", "unknown field 'tokens'" },
            { "{\"source\":\"agent\",\"message\":\"m\",\"metrics\":{\"logprobs\":[\"x\"]}}", "logprobs: must be an array of numbers" },
            { "{\"source\":\"agent\",\"message\":\"m\",\"reasoning_effort\":{\"level\":1}}", "reasoning_effort: must be a string or a number" },
            { "{\"source\":\"user\",\"message\":\"m\",\"extra\":[1]}", "extra: must be an object" },
            { "{\"source\":\"system\",\"message\":\"m\",\"observation\":{\"results\":[{\"subagent_trajectory_ref\":[{\"trajectory_path\":\"p\"}]}]}}", "session_id is required" },
            { "{\"source\":\"system\",\"message\":\"m\",\"observation\":{\"items\":[]}}", "unknown field 'items'" },
        };

        [Theory]
        [MemberData(nameof(InvalidSteps))]
        public void Every_atif_rule_is_enforced_with_a_message_that_names_it_and_nothing_is_written(string json, string rule)
        {
            using TrajectoryWriter writer = Start();
            long before = new FileInfo(writer.Path).Length;

            var error = Assert.Throws<AtifValidationException>(() => writer.Append(Step(json)));

            Assert.Contains(rule, error.Message);
            Assert.StartsWith("step 1", error.JsonPath);
            Assert.Equal(before, new FileInfo(writer.Path).Length);
            Assert.Equal(0, writer.LastStepId);
        }

        [Fact]
        public void Valid_steps_of_every_kind_pass()
        {
            using TrajectoryWriter writer = Start();

            writer.Append(Step("{\"source\":\"system\",\"message\":\"You are an agent\",\"observation\":{\"results\":[{\"content\":\"checkpoint made\",\"subagent_trajectory_ref\":[{\"session_id\":\"sub-1\",\"trajectory_path\":\"s3://x\",\"extra\":{}}]}]}}"));
            writer.Append(Step("{\"source\":\"user\",\"message\":\"\",\"timestamp\":\"2025-10-16T14:30:00Z\",\"extra\":{\"k\":1}}"));
            writer.Append(Step("{\"step_id\":3,\"source\":\"agent\",\"message\":\"m\",\"reasoning_effort\":0.5,\"metrics\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"cached_tokens\":1,\"cost_usd\":0.001,\"prompt_token_ids\":[1,2],\"completion_token_ids\":[3],\"logprobs\":[-0.1],\"extra\":{}}}"));

            Assert.Equal(3, writer.LastStepId);
        }

        [Fact]
        public void Complete_appends_the_final_line_with_summed_metrics_and_closes_the_trajectory()
        {
            string path;
            using (TrajectoryWriter writer = Start())
            {
                path = writer.Path;
                writer.Append(Step("{\"source\":\"agent\",\"message\":\"a\",\"metrics\":{\"prompt_tokens\":100,\"completion_tokens\":10,\"cost_usd\":0.25}}"));
                writer.Append(Step("{\"source\":\"agent\",\"message\":\"b\",\"metrics\":{\"prompt_tokens\":50,\"cached_tokens\":20,\"cost_usd\":0.03}}"));
                writer.Complete();
                Assert.Throws<TrajectoryClosedException>(() => writer.Append(Step("{\"source\":\"user\",\"message\":\"late\"}")));
            }

            Assert.Equal("{\"__final__\":true,\"status\":\"completed\",\"final_metrics\":{\"total_prompt_tokens\":150,\"total_completion_tokens\":10,\"total_cached_tokens\":20,\"total_cost_usd\":0.28,\"total_steps\":2},\"completed_at\":\"2026-11-21T09:00:00.000+00:00\"}",
                Lines(path).Last());
            Assert.Equal(TrajectoryStatus.Completed, TrajectoryIndex.TryRead(TrajectoryFiles.IndexPathFor(path))!.Status);
            using TrajectoryWriter reopened = TrajectoryWriter.Open(path, Options);
            Assert.Equal(TrajectoryStatus.Completed, reopened.Status);
            Assert.Equal(2, reopened.LastStepId);
            Assert.Throws<TrajectoryClosedException>(() => reopened.Complete());
            Assert.Throws<TrajectoryClosedException>(() => reopened.Append(Step("{\"source\":\"user\",\"message\":\"late\"}")));
        }

        [Fact]
        public void A_second_writer_waits_for_the_first_and_is_told_who_holds_it()
        {
            using TrajectoryWriter writer = Start();

            var error = Assert.Throws<AgentState.Locking.FileLockedException>(() => TrajectoryWriter.Open(writer.Path, new TrajectoryWriterOptions { LockTimeout = TimeSpan.FromMilliseconds(50) }));

            Assert.Equal(Environment.ProcessId, error.HolderProcessId);
        }

        [Fact]
        public void Reopening_moves_a_torn_tail_aside_and_continues_the_numbering()
        {
            string path;
            using (TrajectoryWriter writer = Start())
            {
                path = writer.Path;
                writer.Append(Step("{\"source\":\"user\",\"message\":\"one\"}"));
                writer.Append(Step("{\"source\":\"agent\",\"message\":\"two\"}"));
            }

            const string torn = "{\"step_id\":3,\"source\":\"agent\",\"mess";
            File.AppendAllText(path, torn);
            using (TrajectoryWriter reopened = TrajectoryWriter.Open(path, Options))
            {
                Assert.Equal(2, reopened.LastStepId);
                Assert.Equal(torn.Length, reopened.RepairedTornBytes);
                Assert.Equal(path + ".torn", reopened.TornPath);
                Assert.Equal("{\"step_id\":3,\"source\":\"agent\",\"mess", File.ReadAllText(path + ".torn"));
                Assert.Equal(3L, reopened.Append(Step("{\"source\":\"agent\",\"message\":\"three\"}"))["step_id"]);
            }

            File.AppendAllText(path, "{\"step_id\":4");
            using (TrajectoryWriter again = TrajectoryWriter.Open(path, Options))
            {
                Assert.Equal(path + ".torn.1", again.TornPath);
            }

            Assert.All(Lines(path), l => Assert.True(JsonText(l)));
            Assert.EndsWith("\n", File.ReadAllText(path));
        }

        [Fact]
        public void Batch_durability_writes_every_step_and_flushes_at_the_end()
        {
            string path;
            using (TrajectoryWriter writer = TrajectoryWriter.Start(new TrajectoryStart(_folder.Path, "a", "1") { SessionId = "b" },
                new TrajectoryWriterOptions { Durability = StepDurability.Batch, Clock = () => _now }))
            {
                path = writer.Path;
                for (int i = 0; i < 250; i++)
                {
                    writer.Append(Step("{\"source\":\"user\",\"message\":\"m\"}"));
                }
            }

            Assert.Equal(251, Lines(path).Length);
            Assert.Equal(250, TrajectoryIndex.TryRead(TrajectoryFiles.IndexPathFor(path))!.LastStepId);
        }

        private static bool JsonText(string line) => AgentState.Text.JsonText.FindError(line) == null;
    }
}
