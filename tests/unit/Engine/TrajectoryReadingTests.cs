using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AgentState.Json;
using AgentState.Trajectories;
using AgentState.Tests.Fixtures;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    public sealed class TrajectoryReadingTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();

        public void Dispose() => _folder.Dispose();

        private static OrderedJsonObject Step(string json) => (OrderedJsonObject)JsonTreeReader.Read(json).Root!;

        private string Written(int steps, bool complete = false, string session = "s1")
        {
            using TrajectoryWriter writer = TrajectoryWriter.Start(new TrajectoryStart(_folder.Path, "agent", "1") { SessionId = session });
            for (int i = 0; i < steps; i++)
            {
                writer.Append(Step($"{{\"source\":\"agent\",\"message\":\"step {i + 1}\",\"metrics\":{{\"prompt_tokens\":{i},\"cost_usd\":0.5}}}}"));
            }

            if (complete)
            {
                writer.Complete();
            }

            return writer.Path;
        }

        [Fact]
        public void Lines_come_back_in_order_with_malformed_ones_numbered_and_a_torn_tail_once()
        {
            string path = Written(3);
            string[] lines = File.ReadAllLines(path);
            lines[2] = "{not json";
            File.WriteAllText(path, string.Join("\n", lines) + "\n{\"step_id\":4,\"sou");

            TrajectoryLine[] read = TrajectoryLineReader.Read(path).ToArray();

            Assert.Equal(new[] { TrajectoryLineKind.Header, TrajectoryLineKind.Step, TrajectoryLineKind.Malformed, TrajectoryLineKind.Step, TrajectoryLineKind.Torn }, read.Select(l => l.Kind));
            Assert.Equal(3, read[2].LineNumber);
            Assert.NotNull(read[2].Error);
            Assert.Equal(17, read[4].Length);
            Assert.Equal(new FileInfo(path).Length, read[4].End);
        }

        [Fact]
        public void Lines_longer_than_the_buffer_are_read_whole()
        {
            string path = Written(0);
            using (TrajectoryWriter writer = TrajectoryWriter.Open(path))
            {
                writer.Append(Step("{\"source\":\"user\",\"message\":\"" + new string('x', 300_000) + "\"}"));
                writer.Append(Step("{\"source\":\"user\",\"message\":\"short\"}"));
            }

            var steps = TrajectoryLineReader.Read(path).Where(l => l.Kind == TrajectoryLineKind.Step).ToArray();

            Assert.Equal(300_000, ((string)steps[0].Value!["message"]!).Length);
            Assert.Equal("short", steps[1].Value!["message"]);
        }

        [Fact]
        public void A_summary_comes_from_the_index_when_it_agrees_and_from_the_stream_when_not()
        {
            string path = Written(5);

            TrajectorySummary fresh = TrajectorySummary.Inspect(path);
            Assert.False(fresh.IndexStale);
            Assert.Equal(5, fresh.StepCount);
            Assert.Equal(TrajectoryStatus.InProgress, fresh.Status);
            Assert.Equal("s1", fresh.SessionId);
            Assert.Equal("agent", fresh.AgentName);
            Assert.Equal(6, fresh.RecoveryPlan!.ResumeAtStepId);

            // Another writer appended without refreshing the index (a crash before its refresh).
            const string torn = "{\"step_id\":7,\"sou";
            File.AppendAllText(path, "{\"step_id\":6,\"timestamp\":\"2026-01-01T00:00:00Z\",\"source\":\"user\",\"message\":\"x\"}\n" + torn);
            TrajectorySummary stale = TrajectorySummary.Inspect(path);
            Assert.True(stale.IndexStale);
            Assert.Equal(6, stale.StepCount);
            Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), stale.LastStepAt);
            Assert.Equal(torn.Length, stale.TornBytes);
            Assert.Equal(torn.Length, stale.RecoveryPlan!.TornBytes);
            Assert.Equal(7, stale.RecoveryPlan.ResumeAtStepId);
        }

        [Fact]
        public void A_completed_summary_carries_final_metrics()
        {
            TrajectorySummary summary = TrajectorySummary.Inspect(Written(4, complete: true));

            Assert.Equal(TrajectoryStatus.Completed, summary.Status);
            Assert.Equal(4, summary.StepCount);
            Assert.Equal(6L, summary.FinalMetrics!["total_prompt_tokens"]);
            Assert.Equal(2.0m, summary.FinalMetrics["total_cost_usd"]);
            Assert.Null(summary.RecoveryPlan);
            Assert.False(summary.IndexStale);
        }

        [Fact]
        public void Repair_dry_run_changes_nothing_and_repair_sets_the_tail_aside_rebuilds_the_index_and_can_mark_failed()
        {
            string path = Written(2);
            File.Delete(TrajectoryFiles.IndexPathFor(path));
            File.AppendAllText(path, "{\"step_id\":3,");
            long length = new FileInfo(path).Length;

            TrajectoryRepairResult plan = TrajectoryRepair.Repair(path, markFailed: true, dryRun: true);
            Assert.False(plan.Performed);
            Assert.Equal(13, plan.TornBytes);
            Assert.True(plan.MarkedFailed);
            Assert.Equal(length, new FileInfo(path).Length);
            Assert.False(File.Exists(path + ".torn"));

            TrajectoryRepairResult done = TrajectoryRepair.Repair(path, markFailed: true, dryRun: false);
            Assert.True(done.Performed);
            Assert.Equal(TrajectoryStatus.Failed, done.Status);
            Assert.Equal("{\"step_id\":3,", File.ReadAllText(path + ".torn"));
            TrajectorySummary after = TrajectorySummary.Inspect(path);
            Assert.Equal(TrajectoryStatus.Failed, after.Status);
            Assert.Equal(2, after.StepCount);
            Assert.False(after.IndexStale);
            Assert.Equal(0, after.TornBytes);
        }

        [Fact]
        public void The_rfc_example_reads_as_a_legacy_document_and_exports_unchanged_in_meaning()
        {
            string legacy = Path.Combine(_folder.Path, "20251011", "025B810F-B3A2-4C67-93C0-FE7A142A947A.json");
            Directory.CreateDirectory(Path.GetDirectoryName(legacy)!);
            File.WriteAllText(legacy, AtifFixtures.RfcExample);

            TrajectorySummary summary = TrajectorySummary.Inspect(legacy);
            Assert.True(summary.IsLegacy);
            Assert.Equal(3, summary.StepCount);
            Assert.Equal("harbor-agent", summary.AgentName);
            Assert.Equal(1120L, summary.FinalMetrics!["total_prompt_tokens"]);

            using var output = new MemoryStream();
            TrajectoryExporter.Export(legacy, output);
            Assert.True(JsonCompare.SameMeaning(AtifFixtures.RfcExample, Encoding.UTF8.GetString(output.ToArray())));
        }

        [Fact]
        public void The_rfc_examples_steps_streamed_through_the_writer_export_unchanged_in_meaning()
        {
            var rfc = (OrderedJsonObject)JsonTreeReader.Read(AtifFixtures.RfcExample).Root!;
            var agent = (OrderedJsonObject)rfc["agent"]!;
            string path;
            using (TrajectoryWriter writer = TrajectoryWriter.Start(new TrajectoryStart(_folder.Path, "harbor-agent", "1.0.0")
            {
                SessionId = "025B810F-B3A2-4C67-93C0-FE7A142A947A",
                ModelName = (string)agent["model_name"]!,
                AgentExtra = new OrderedJsonObject(),
                Notes = (string)rfc["notes"]!,
                Extra = new OrderedJsonObject(),
            }))
            {
                path = writer.Path;
                foreach (OrderedJsonObject step in ((List<object?>)rfc["steps"]!).Cast<OrderedJsonObject>())
                {
                    writer.Append(step);
                }

                writer.Complete(TrajectoryStatus.Completed, (OrderedJsonObject)rfc["final_metrics"]!);
            }

            using var output = new MemoryStream();
            TrajectoryExporter.Export(path, output);
            string exported = Encoding.UTF8.GetString(output.ToArray());

            Assert.True(JsonCompare.SameMeaning(AtifFixtures.RfcExample, exported), exported);
            AtifValidator.ValidateDocument((OrderedJsonObject)JsonTreeReader.Read(exported).Root!);
        }

        [Fact]
        public void A_long_trajectory_exports_to_a_valid_document_without_null_fields()
        {
            string path;
            using (TrajectoryWriter writer = TrajectoryWriter.Start(new TrajectoryStart(_folder.Path, "agent", "1") { SessionId = "long" },
                new TrajectoryWriterOptions { Durability = StepDurability.Batch }))
            {
                path = writer.Path;
                for (int i = 1; i <= 3000; i++)
                {
                    writer.Append(Step(i % 3 == 0
                        ? $"{{\"source\":\"agent\",\"message\":\"m{i}\",\"reasoning_content\":null,\"tool_calls\":[{{\"tool_call_id\":\"c{i}\",\"function_name\":\"f\",\"arguments\":{{\"x\":null}}}}],\"observation\":{{\"results\":[{{\"source_call_id\":\"c{i}\",\"content\":null}}]}}}}"
                        : $"{{\"source\":\"user\",\"message\":\"m{i}\"}}"));
                }

                writer.Complete();
            }

            string destination = _folder.File("export.json");
            TrajectoryExporter.ExportToFile(path, destination);

            string text = File.ReadAllText(destination);
            var document = (OrderedJsonObject)JsonTreeReader.Read(text).Root!;
            AtifValidator.ValidateDocument(document);
            Assert.Equal(3000, ((List<object?>)document["steps"]!).Count);
            Assert.DoesNotContain("\"content\":null", text);
            Assert.Contains("\"arguments\":{\"x\":null}", text); // The caller's own data is kept as it was.
            Assert.Equal(3000L, ((OrderedJsonObject)document["final_metrics"]!)["total_steps"]);
        }

        [Fact]
        public void An_export_of_a_stream_with_a_bad_step_fails_and_writes_nothing()
        {
            string path = Written(2);
            File.AppendAllText(path, "{\"step_id\":9,\"source\":\"user\",\"message\":\"skipped ids\"}\n");
            string destination = _folder.File("export.json");

            var error = Assert.Throws<AgentState.IO.AtomicWriteException>(() => TrajectoryExporter.ExportToFile(path, destination));

            Assert.Contains("step_id must be 3", error.Message);
            Assert.False(File.Exists(destination));
            Assert.Empty(Directory.GetFiles(_folder.Path, "export.json*"));
        }

        [Fact]
        public async Task Following_sees_steps_another_writer_appends_and_stops_at_the_final_line()
        {
            string path = Written(1);
            var seen = new List<long>();
            using var firstSeen = new SemaphoreSlim(0);
            Task follower = Task.Run(() =>
            {
                foreach (TrajectoryLine line in TrajectoryFollower.Follow(path, fromStart: true, timeout: TimeSpan.FromMinutes(2)))
                {
                    lock (seen)
                    {
                        seen.Add(line.Kind == TrajectoryLineKind.Final ? -1 : TrajectoryWriter.StepId(line.Value!));
                    }

                    firstSeen.Release();
                }
            });

            Assert.True(await firstSeen.WaitAsync(TimeSpan.FromMinutes(1)), "the follower did not see the existing step");
            using (TrajectoryWriter writer = TrajectoryWriter.Open(path))
            {
                for (int i = 0; i < 20; i++)
                {
                    writer.Append(Step("{\"source\":\"user\",\"message\":\"live\"}"));
                }

                writer.Complete();
            }

            await follower.WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Equal(Enumerable.Range(1, 21).Select(i => (long)i).Append(-1), seen);
        }

        [Fact]
        public void Following_from_now_skips_what_is_there_and_a_timeout_ends_it()
        {
            string path = Written(3);

            bool timedOut = false;
            var lines = TrajectoryFollower.Follow(path, fromStart: false, timeout: TimeSpan.FromMilliseconds(200), onTimeout: () => timedOut = true).ToList();

            Assert.Empty(lines);
            Assert.True(timedOut, "the timeout was not reported");
        }

        [Fact]
        public void Following_to_the_final_line_or_a_closed_trajectory_is_no_timeout()
        {
            string path = Written(2, complete: true);
            bool timedOut = false;

            var all = TrajectoryFollower.Follow(path, fromStart: true, timeout: TimeSpan.FromMinutes(1), onTimeout: () => timedOut = true).ToList();
            var none = TrajectoryFollower.Follow(path, fromStart: false, timeout: TimeSpan.FromMinutes(1), onTimeout: () => timedOut = true).ToList();

            Assert.Equal(TrajectoryLineKind.Final, all.Last().Kind);
            Assert.Empty(none);
            Assert.False(timedOut);
        }

        [Fact]
        public async Task Following_from_now_yields_exactly_the_steps_appended_after_it_began_then_ends_at_the_final_line()
        {
            string path = Written(3);
            var seen = new System.Collections.Concurrent.BlockingCollection<TrajectoryLine>();
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            Task following = Task.Run(() =>
            {
                foreach (TrajectoryLine line in TrajectoryFollower.Follow(path, fromStart: false, cancellation: stop.Token))
                {
                    seen.Add(line);
                }

                seen.CompleteAdding();
            });

            // Whether the follower has reached the end of the file yet cannot be seen from outside, so steps are appended
            // one at a time until the first one comes through; every later step must then come through, in order.
            using TrajectoryWriter writer = TrajectoryWriter.Open(path);
            TrajectoryLine? first = null;
            for (int attempt = 0; attempt < 600 && first == null; attempt++)
            {
                writer.Append(Step($"{{\"source\":\"agent\",\"message\":\"live {attempt}\"}}"));
                seen.TryTake(out first, TimeSpan.FromMilliseconds(100));
            }

            Assert.NotNull(first);
            long firstId = TrajectoryWriter.StepId(first!.Value!);
            Assert.True(firstId >= 4, $"the follower yielded step {firstId}, which was in the file before it began");
            writer.Append(Step("{\"source\":\"agent\",\"message\":\"after\"}"));
            writer.Complete();

            var rest = new List<TrajectoryLine>();
            while (seen.TryTake(out TrajectoryLine? line, TimeSpan.FromSeconds(60)))
            {
                rest.Add(line!);
            }

            await following.WaitAsync(TimeSpan.FromSeconds(60));
            long lastId = writer.LastStepId;
            var steps = rest.Where(l => l.Kind == TrajectoryLineKind.Step).Select(l => TrajectoryWriter.StepId(l.Value!)).ToArray();
            Assert.Equal(Enumerable.Range((int)firstId + 1, (int)(lastId - firstId)).Select(i => (long)i), steps);
            Assert.Equal(TrajectoryLineKind.Final, rest.Last().Kind);
            Assert.False(stop.IsCancellationRequested, "the follower did not end at the final line");
        }
    }
}
