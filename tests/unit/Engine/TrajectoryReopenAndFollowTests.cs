using System;
using System.IO;
using System.Linq;
using System.Threading;
using AgentState.Json;
using AgentState.Trajectories;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>Reopening a trajectory from each kind of last line, totals across a reopen, and following a closed stream.</summary>
    public sealed class TrajectoryReopenAndFollowTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();
        private DateTimeOffset _now = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

        public void Dispose() => _folder.Dispose();

        private TrajectoryWriterOptions Options => new TrajectoryWriterOptions { Clock = () => _now };

        private TrajectoryWriter Start(string session = "s1") =>
            TrajectoryWriter.Start(new TrajectoryStart(_folder.Path, "agent", "1") { SessionId = session }, Options);

        private static OrderedJsonObject Step(string json) => (OrderedJsonObject)JsonTreeReader.Read(json).Root!;

        private static string[] Lines(string path) => File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        [Fact]
        public void Completing_a_reopened_trajectory_sums_the_metrics_of_every_step_before_and_after()
        {
            string path;
            using (TrajectoryWriter writer = Start())
            {
                path = writer.Path;
                writer.Append(Step("{\"source\":\"agent\",\"message\":\"a\",\"metrics\":{\"prompt_tokens\":100,\"cost_usd\":0.25}}"));
                writer.Append(Step("{\"source\":\"user\",\"message\":\"b\"}"));
            }

            using (TrajectoryWriter reopened = TrajectoryWriter.Open(path, Options))
            {
                reopened.Append(Step("{\"source\":\"agent\",\"message\":\"c\",\"metrics\":{\"completion_tokens\":7,\"cached_tokens\":3,\"cost_usd\":0.5}}"));
                OrderedJsonObject final = reopened.Complete(TrajectoryStatus.Failed, null, "gave up");

                Assert.Equal("failed", final["status"]);
                Assert.Equal("gave up", final["notes"]);
            }

            Assert.Equal("{\"__final__\":true,\"status\":\"failed\",\"final_metrics\":{\"total_prompt_tokens\":100,\"total_completion_tokens\":7,\"total_cached_tokens\":3,\"total_cost_usd\":0.75,\"total_steps\":3},\"completed_at\":\"2026-11-21T09:00:00.000+00:00\",\"notes\":\"gave up\"}",
                Lines(path).Last());
        }

        [Fact]
        public void Steps_without_metrics_count_as_steps_only()
        {
            var totals = new MetricsTotals();
            totals.Add(Step("{\"source\":\"user\",\"message\":\"a\"}"));
            totals.Add(Step("{\"source\":\"user\",\"message\":\"b\",\"metrics\":{}}"));
            totals.Add(Step("{\"source\":\"user\",\"message\":\"c\",\"metrics\":{\"prompt_tokens\":null,\"cost_usd\":null}}"));

            Assert.Equal(3, totals.Steps);
            Assert.Equal("{\"total_steps\":3}", System.Text.Encoding.UTF8.GetString(JsonTreeWriter.WriteLine(totals.ToFinalMetrics())).TrimEnd('\n'));
        }

        [Fact]
        public void Given_final_metrics_are_validated_and_written_as_given()
        {
            string path;
            using (TrajectoryWriter writer = Start())
            {
                path = writer.Path;
                writer.Append(Step("{\"source\":\"agent\",\"message\":\"a\",\"metrics\":{\"prompt_tokens\":100}}"));
                Assert.Throws<AtifValidationException>(() => writer.Complete(TrajectoryStatus.Completed, Step("{\"total_steps\":\"many\"}")));
                Assert.Equal(2, Lines(path).Length);
                writer.Complete(TrajectoryStatus.Completed, Step("{\"total_steps\":9}"));
            }

            Assert.Equal("{\"__final__\":true,\"status\":\"completed\",\"final_metrics\":{\"total_steps\":9},\"completed_at\":\"2026-11-21T09:00:00.000+00:00\"}", Lines(path).Last());
            Assert.Equal(9L, TrajectoryIndex.TryRead(TrajectoryFiles.IndexPathFor(path))!.FinalMetrics!["total_steps"]);
        }

        [Fact]
        public void A_trajectory_is_never_completed_as_in_progress()
        {
            using TrajectoryWriter writer = Start();

            var error = Assert.Throws<ArgumentException>(() => writer.Complete(TrajectoryStatus.InProgress));

            Assert.Equal("status", error.ParamName);
            Assert.Equal(TrajectoryStatus.InProgress, writer.Status);
            Assert.Single(Lines(writer.Path));
        }

        [Fact]
        public void Reopening_after_a_complete_but_unreadable_last_line_finds_the_last_good_step()
        {
            string path;
            using (TrajectoryWriter writer = Start())
            {
                path = writer.Path;
                writer.Append(Step("{\"source\":\"user\",\"message\":\"one\"}"));
                _now = _now.AddSeconds(5);
                writer.Append(Step("{\"source\":\"user\",\"message\":\"two\"}"));
            }

            File.AppendAllText(path, "{garbage}\n");
            using (TrajectoryWriter reopened = TrajectoryWriter.Open(path, Options))
            {
                Assert.Equal(2, reopened.LastStepId);
                Assert.Equal(TrajectoryStatus.InProgress, reopened.Status);
                Assert.Equal(0, reopened.RepairedTornBytes);
                Assert.Null(reopened.TornPath);
                Assert.Equal(3L, reopened.Append(Step("{\"source\":\"user\",\"message\":\"three\"}"))["step_id"]);
            }

            string[] lines = Lines(path);
            Assert.Equal("{garbage}", lines[3]);
            Assert.StartsWith("{\"step_id\":3,", lines[4]);
            Assert.Equal(3, TrajectoryIndex.TryRead(TrajectoryFiles.IndexPathFor(path))!.LastStepId);
            Assert.Equal("2026-11-21T09:00:05.000+00:00", TrajectoryIndex.TryRead(TrajectoryFiles.IndexPathFor(path))!.LastTimestamp);
        }

        [Fact]
        public void Reopening_a_closed_trajectory_reads_its_status_and_last_step()
        {
            string path;
            using (TrajectoryWriter writer = Start())
            {
                path = writer.Path;
                writer.Append(Step("{\"source\":\"user\",\"message\":\"one\"}"));
                writer.Append(Step("{\"source\":\"user\",\"message\":\"two\",\"timestamp\":\"2026-11-21T09:09:09Z\"}"));
                writer.Complete(TrajectoryStatus.Failed);
            }

            using TrajectoryWriter reopened = TrajectoryWriter.Open(path, Options);

            Assert.Equal(TrajectoryStatus.Failed, reopened.Status);
            Assert.Equal(2, reopened.LastStepId);
            var error = Assert.Throws<TrajectoryClosedException>(() => reopened.Append(Step("{\"source\":\"user\",\"message\":\"late\"}")));
            Assert.Equal($"The trajectory '{path}' is already closed as failed; nothing more can be added to it.", error.Message);
        }

        [Fact]
        public void Reopening_a_header_only_trajectory_starts_at_step_one()
        {
            string path;
            using (TrajectoryWriter writer = Start())
            {
                path = writer.Path;
            }

            using TrajectoryWriter reopened = TrajectoryWriter.Open(path, Options);

            Assert.Equal(0, reopened.LastStepId);
            Assert.Equal("s1", reopened.SessionId);
            Assert.Equal(1L, reopened.Append(Step("{\"source\":\"user\",\"message\":\"one\"}"))["step_id"]);
        }

        [Theory]
        [InlineData("", "it is empty")]
        [InlineData("{\"step_id\":1}\n", "its first line is not a {\"__header__\":true,...} header (Step)")]
        [InlineData("[]\n", "its first line is not a {\"__header__\":true,...} header (the line is JSON but not an object)")]
        public void A_stream_without_a_header_cannot_be_opened(string content, string reason)
        {
            string folder = Path.Combine(_folder.Path, "20261121");
            Directory.CreateDirectory(folder);
            string path = Path.Combine(folder, "bad.atif.jsonl");
            File.WriteAllText(path, content);

            var error = Assert.Throws<TrajectoryCorruptException>(() => TrajectoryWriter.Open(path, Options));

            Assert.Equal($"The trajectory '{path}' cannot be used: {reason}.", error.Message);
            Assert.Throws<TrajectoryNotFoundException>(() => TrajectoryWriter.Open(_folder.File("missing.atif.jsonl"), Options));
        }

        [Fact]
        public void A_writer_used_after_it_is_closed_says_so()
        {
            TrajectoryWriter writer = Start();
            writer.Dispose();
            writer.Dispose();

            var error = Assert.Throws<TrajectoryWriterClosedException>(() => writer.Append(Step("{\"source\":\"user\",\"message\":\"m\"}")));

            Assert.Contains($"The writer of '{writer.Path}' was closed; open the trajectory again to append.", error.Message);
            Assert.Equal(writer.Path, error.Path);
            using TrajectoryWriter again = TrajectoryWriter.Open(writer.Path, Options);
        }

        [Fact]
        public void Following_a_closed_trajectory_from_the_start_yields_every_line_after_the_header_and_stops()
        {
            string path;
            using (TrajectoryWriter writer = Start())
            {
                path = writer.Path;
                writer.Append(Step("{\"source\":\"user\",\"message\":\"one\"}"));
                writer.Append(Step("{\"source\":\"agent\",\"message\":\"two\"}"));
                writer.Complete();
            }

            TrajectoryLine[] lines = TrajectoryFollower.Follow(path, fromStart: true).ToArray();

            Assert.Equal(new[] { TrajectoryLineKind.Step, TrajectoryLineKind.Step, TrajectoryLineKind.Final }, lines.Select(l => l.Kind));
            Assert.Equal(new long[] { 2, 3, 4 }, lines.Select(l => l.LineNumber));
            Assert.Equal(new FileInfo(path).Length, lines[2].End);
            Assert.Empty(TrajectoryFollower.Follow(path, fromStart: false));
        }

        [Fact]
        public void Following_an_open_trajectory_with_a_spent_deadline_or_a_cancelled_token_yields_what_is_there()
        {
            string path;
            using (TrajectoryWriter writer = Start())
            {
                path = writer.Path;
                writer.Append(Step("{\"source\":\"user\",\"message\":\"one\"}"));
            }

            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();

            Assert.Equal(new long[] { 2 }, TrajectoryFollower.Follow(path, fromStart: true, TimeSpan.Zero).Select(l => l.LineNumber));
            Assert.Equal(new long[] { 2 }, TrajectoryFollower.Follow(path, fromStart: true, null, cancelled.Token).Select(l => l.LineNumber));
            Assert.Empty(TrajectoryFollower.Follow(path, fromStart: false, TimeSpan.Zero));
            var missing = Assert.Throws<TrajectoryNotFoundException>(() => TrajectoryFollower.Follow(_folder.File("none.atif.jsonl"), true).ToArray());
            Assert.Equal($"No trajectory: '{_folder.File("none.atif.jsonl")}' does not exist.", missing.Message);
        }
    }
}
