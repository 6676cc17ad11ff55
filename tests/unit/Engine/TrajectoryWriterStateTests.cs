using System;
using System.IO;
using AgentState.Json;
using AgentState.Trajectories;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>
    /// What a writer checks before it makes anything, how a step's line is laid out, when the index is refreshed, and
    /// what reopening recovers from the last line of a file written by hand.
    /// </summary>
    public sealed class TrajectoryWriterStateTests : IDisposable
    {
        private const string Header = "{\"__header__\":true,\"schema_version\":\"ATIF-v1.4\",\"session_id\":\"s1\",\"agent\":{\"name\":\"a\",\"version\":\"1\"},\"created_at\":\"2026-11-21T09:00:00.000+00:00\"}\n";
        private readonly TestFolder _folder = new TestFolder();
        private readonly DateTimeOffset _now = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

        public void Dispose() => _folder.Dispose();

        private TrajectoryWriterOptions Options => new TrajectoryWriterOptions { Clock = () => _now };

        private TrajectoryWriter Start(TrajectoryWriterOptions? options = null) =>
            TrajectoryWriter.Start(new TrajectoryStart(_folder.Path, "agent", "1") { SessionId = "s1" }, options ?? Options);

        private static OrderedJsonObject Step(string json) => (OrderedJsonObject)JsonTreeReader.Read(json).Root!;

        private static string[] Lines(string path) => File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        /// <summary>A stream file with exactly these bytes, as another tool (or a crash) left it.</summary>
        private string Written(string content)
        {
            string path = Path.Combine(_folder.Path, "20261121", "s1.atif.jsonl");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
            return path;
        }

        private TrajectoryIndex IndexAfterReopening(string path)
        {
            using (TrajectoryWriter.Open(path, Options))
            {
            }

            return TrajectoryIndex.TryRead(TrajectoryFiles.IndexPathFor(path))!;
        }

        [Fact]
        public void An_unknown_schema_version_is_refused_before_anything_is_made()
        {
            var start = new TrajectoryStart(_folder.Path, "agent", "1") { SessionId = "s1", SchemaVersion = "ATIF-v0.1" };

            var error = Assert.Throws<AtifValidationException>(() => TrajectoryWriter.Start(start, Options));

            Assert.Equal("schema_version", error.JsonPath);
            Assert.Contains($"must be one of {string.Join(", ", AtifSchema.Versions)} (it is 'ATIF-v0.1')", error.Message);
            Assert.Empty(_folder.Leftovers());
        }

        [Fact]
        public void A_header_that_breaks_an_atif_rule_is_refused_at_start_with_its_place_and_nothing_is_made()
        {
            var start = new TrajectoryStart(_folder.Path, null!, "1") { SessionId = "s1" };

            var error = Assert.Throws<AtifValidationException>(() => TrajectoryWriter.Start(start, Options));

            Assert.Equal("header.agent", error.JsonPath);
            Assert.Contains("name is required", error.Message);
            Assert.Empty(_folder.Leftovers());
        }

        [Fact]
        public void The_session_id_comes_from_the_header_not_the_file_name()
        {
            string renamed;
            using (TrajectoryWriter writer = Start())
            {
                renamed = Path.Combine(Path.GetDirectoryName(writer.Path)!, "renamed.atif.jsonl");
            }

            File.Move(Path.Combine(_folder.Path, "20261121", "s1.atif.jsonl"), renamed);
            using TrajectoryWriter reopened = TrajectoryWriter.Open(renamed, Options);

            Assert.Equal("s1", reopened.SessionId);
        }

        [Fact]
        public void Opening_a_missing_file_names_it()
        {
            string path = Path.Combine(_folder.Path, "20261121", "none.atif.jsonl");

            var error = Assert.Throws<TrajectoryNotFoundException>(() => TrajectoryWriter.Open(path, Options));

            Assert.Equal($"No trajectory: '{path}' does not exist.", error.Message);
            Assert.Empty(_folder.Leftovers());
        }

        [Fact]
        public void A_session_id_made_twice_in_the_same_second_differs_in_its_random_part()
        {
            Assert.NotEqual(TrajectoryWriter.NewSessionId(_now), TrajectoryWriter.NewSessionId(_now));
        }

        [Fact]
        public void Step_id_and_timestamp_lead_every_line_whether_given_null_or_absent()
        {
            string path;
            using (TrajectoryWriter writer = Start())
            {
                path = writer.Path;
                writer.Append(Step("{\"source\":\"user\",\"message\":\"given id\",\"step_id\":1}"));
                writer.Append(Step("{\"step_id\":null,\"timestamp\":null,\"source\":\"user\",\"message\":\"nulls\"}"));
                writer.Append(Step("{\"message\":\"given stamp\",\"source\":\"user\",\"timestamp\":\"2025-10-16T14:30:00Z\"}"));
            }

            string[] lines = Lines(path);
            Assert.Equal("{\"step_id\":1,\"timestamp\":\"2026-11-21T09:00:00.000+00:00\",\"source\":\"user\",\"message\":\"given id\"}", lines[1]);
            Assert.Equal("{\"step_id\":2,\"timestamp\":\"2026-11-21T09:00:00.000+00:00\",\"source\":\"user\",\"message\":\"nulls\"}", lines[2]);
            Assert.Equal("{\"step_id\":3,\"timestamp\":\"2025-10-16T14:30:00Z\",\"source\":\"user\",\"message\":\"given stamp\"}", lines[3]);
        }

        [Fact]
        public void Null_fields_of_a_step_are_left_out_of_its_line()
        {
            using TrajectoryWriter writer = Start();

            writer.Append(Step("{\"source\":\"user\",\"message\":\"m\",\"model_name\":null,\"thoughts\":null}"));

            Assert.Equal("{\"step_id\":1,\"timestamp\":\"2026-11-21T09:00:00.000+00:00\",\"source\":\"user\",\"message\":\"m\"}", Lines(writer.Path)[1]);
        }

        [Fact]
        public void The_index_is_refreshed_after_the_set_number_of_steps()
        {
            using TrajectoryWriter writer = Start(new TrajectoryWriterOptions { Clock = () => _now, IndexEverySteps = 2, IndexEvery = TimeSpan.FromDays(1) });
            long IndexedStep() => TrajectoryIndex.TryRead(writer.IndexPath)!.LastStepId;

            writer.Append(Step("{\"source\":\"user\",\"message\":\"1\"}"));
            Assert.Equal(0, IndexedStep());
            writer.Append(Step("{\"source\":\"user\",\"message\":\"2\"}"));
            Assert.Equal(2, IndexedStep());
            writer.Append(Step("{\"source\":\"user\",\"message\":\"3\"}"));
            Assert.Equal(2, IndexedStep());
            writer.Append(Step("{\"source\":\"user\",\"message\":\"4\"}"));
            Assert.Equal(4, IndexedStep());
        }

        [Fact]
        public void Completing_as_in_progress_or_with_invalid_final_metrics_is_refused_and_nothing_is_written()
        {
            using TrajectoryWriter writer = Start();
            long before = new FileInfo(writer.Path).Length;

            var status = Assert.Throws<ArgumentException>(() => writer.Complete(TrajectoryStatus.InProgress));
            var metrics = Assert.Throws<AtifValidationException>(() => writer.Complete(TrajectoryStatus.Completed, Step("{\"total_steps\":\"two\"}")));

            Assert.Equal("status", status.ParamName);
            Assert.StartsWith("A trajectory is completed as completed or failed.", status.Message);
            Assert.Equal("final_metrics.total_steps", metrics.JsonPath);
            Assert.Equal(before, new FileInfo(writer.Path).Length);
            Assert.Equal(TrajectoryStatus.InProgress, writer.Status);
        }

        [Fact]
        public void Reopening_after_a_step_keeps_its_timestamp_for_the_index_and_a_step_without_one_has_none()
        {
            TrajectoryIndex stamped = IndexAfterReopening(Written(Header + "{\"step_id\":1,\"timestamp\":\"2026-11-21T09:05:00Z\",\"source\":\"user\",\"message\":\"m\"}\n"));
            Assert.Equal((1L, "2026-11-21T09:05:00Z"), (stamped.LastStepId, stamped.LastTimestamp));

            TrajectoryIndex unstamped = IndexAfterReopening(Written(Header + "{\"step_id\":1,\"source\":\"user\",\"message\":\"m\"}\n"));
            Assert.Equal((1L, (string?)null), (unstamped.LastStepId, unstamped.LastTimestamp));
        }

        [Fact]
        public void Reopening_after_an_unreadable_last_line_finds_the_last_steps_id_and_timestamp()
        {
            TrajectoryIndex stamped = IndexAfterReopening(Written(Header
                + "{\"step_id\":1,\"timestamp\":\"2026-11-21T09:05:00Z\",\"source\":\"user\",\"message\":\"m\"}\n"
                + "{\"step_id\":2,\"timestamp\":\"2026-11-21T09:06:00Z\",\"source\":\"user\",\"message\":\"m\"}\n"
                + "not json\n"));
            Assert.Equal((2L, "2026-11-21T09:06:00Z"), (stamped.LastStepId, stamped.LastTimestamp));

            TrajectoryIndex unstamped = IndexAfterReopening(Written(Header + "{\"step_id\":1,\"source\":\"user\",\"message\":\"m\"}\nnot json\n"));
            Assert.Equal((1L, (string?)null), (unstamped.LastStepId, unstamped.LastTimestamp));
        }

        [Fact]
        public void A_final_line_without_a_status_reopens_as_completed()
        {
            string path = Written(Header + "{\"step_id\":1,\"source\":\"user\",\"message\":\"m\"}\n{\"__final__\":true}\n");

            using TrajectoryWriter reopened = TrajectoryWriter.Open(path, Options);

            Assert.Equal(TrajectoryStatus.Completed, reopened.Status);
            Assert.Equal(1, reopened.LastStepId);
        }

        [Theory]
        [InlineData("-5", 0L)]
        [InlineData("0", 0L)]
        [InlineData("9223372036854775807", long.MaxValue)]
        [InlineData("9223372036854775808", 0L)]
        public void A_last_step_id_outside_zero_to_long_max_reopens_as_zero(string stepId, long expected)
        {
            string path = Written(Header + "{\"step_id\":" + stepId + ",\"source\":\"user\",\"message\":\"m\"}\n");

            using TrajectoryWriter reopened = TrajectoryWriter.Open(path, Options);

            Assert.Equal(expected, reopened.LastStepId);
        }

        [Fact]
        public void A_file_holding_only_a_torn_header_is_said_to_lack_a_header_not_to_be_empty()
        {
            string path = Written(Header.TrimEnd('\n'));

            var error = Assert.Throws<TrajectoryCorruptException>(() => TrajectoryWriter.Open(path, Options));

            Assert.Contains("its first line is not a {\"__header__\":true,...} header (Torn)", error.Message);
        }
    }
}
