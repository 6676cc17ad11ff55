using System;
using System.IO;
using System.Linq;
using System.Text;
using AgentState.IO;
using AgentState.Json;
using AgentState.Trajectories;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>Trajectory file names, the index file's exact content, and when a summary trusts it.</summary>
    public sealed class TrajectoryFilesAndIndexTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();
        private readonly DateTimeOffset _now = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

        public void Dispose() => _folder.Dispose();

        private TrajectoryWriter Start(string session = "s1") =>
            TrajectoryWriter.Start(new TrajectoryStart(_folder.Path, "MechaCoder", "2.0") { SessionId = session, ModelName = "claude" },
                new TrajectoryWriterOptions { Clock = () => _now });

        private static OrderedJsonObject Json(string json) => (OrderedJsonObject)JsonTreeReader.Read(json).Root!;

        [Theory]
        [InlineData("/r/20261121/s1.atif.jsonl", true)]
        [InlineData("/r/20261121/s1.json", true)]
        [InlineData("/r/20261121/s1.JSON", true)]
        [InlineData("/r/20261121/s1.index.json", false)]
        [InlineData("/r/20261121/s1.json.tmp.1.abc", false)]
        [InlineData("/r/20261121/s1.tmp.1.json", false)]
        [InlineData("/r/20261121/s1.atif.jsonl.torn", false)]
        [InlineData("/r/20261121/s1.jsonl", false)]
        [InlineData("/r/20261121/s1.txt", false)]
        public void Trajectory_files_are_streams_and_legacy_documents_only(string file, bool isTrajectory)
        {
            Assert.Equal(isTrajectory, TrajectoryFiles.IsTrajectory(file));
        }

        [Fact]
        public void Names_derive_from_the_stream_path()
        {
            Assert.Equal("/r/d/s1.index.json", TrajectoryFiles.IndexPathFor("/r/d/s1.atif.jsonl"));
            Assert.Equal("/r/d/s1.atif.jsonl.torn", TrajectoryFiles.TornPathFor("/r/d/s1.atif.jsonl"));
            Assert.Equal("s1", TrajectoryFiles.SessionIdOf("/r/d/s1.atif.jsonl"));
            Assert.Equal("s1.v2", TrajectoryFiles.SessionIdOf("/r/d/s1.v2.json"));
            Assert.Equal(Path.Combine(_folder.Path, "20261121", "s1.atif.jsonl"), TrajectoryFiles.NewPath(_folder.Path, "s1", _now.ToOffset(TimeSpan.FromHours(-5))));
            Assert.Equal(Path.Combine(_folder.Path, "20261122", "s1.atif.jsonl"), TrajectoryFiles.NewPath(_folder.Path, "s1", new DateTimeOffset(2026, 11, 21, 23, 0, 0, TimeSpan.FromHours(-5))));
        }

        [Fact]
        public void All_lists_trajectories_folder_by_folder_in_name_order_and_find_wants_a_stream()
        {
            Directory.CreateDirectory(_folder.File("20261122"));
            Directory.CreateDirectory(_folder.File("20261121"));
            File.WriteAllText(_folder.File("top.atif.jsonl"), "");
            File.WriteAllText(Path.Combine(_folder.Path, "20261122", "b.atif.jsonl"), "");
            File.WriteAllText(Path.Combine(_folder.Path, "20261122", "a.json"), "");
            File.WriteAllText(Path.Combine(_folder.Path, "20261122", "a.index.json"), "");
            File.WriteAllText(Path.Combine(_folder.Path, "20261121", "z.atif.jsonl"), "");
            File.WriteAllText(Path.Combine(_folder.Path, "20261121", "legacy.json"), "");

            Assert.Equal(new[]
            {
                Path.Combine(_folder.Path, "20261121", "legacy.json"),
                Path.Combine(_folder.Path, "20261121", "z.atif.jsonl"),
                Path.Combine(_folder.Path, "20261122", "a.json"),
                Path.Combine(_folder.Path, "20261122", "b.atif.jsonl"),
            }, TrajectoryFiles.All(_folder.Path));
            Assert.Throws<TrajectoryRootNotFoundException>(() => TrajectoryFiles.All(_folder.File("missing")));
            Assert.Equal(Path.Combine(_folder.Path, "20261122", "b.atif.jsonl"), TrajectoryFiles.Find(_folder.Path, "b"));
            Assert.Null(TrajectoryFiles.Find(_folder.Path, "legacy"));
            Assert.Null(TrajectoryFiles.Find(_folder.Path, "top"));
            Assert.Throws<InvalidInputException>(() => TrajectoryFiles.Find(_folder.Path, "../x"));
        }

        [Fact]
        public void The_index_is_written_as_the_header_then_status_checkpoint_metrics_and_time()
        {
            string path = _folder.File("s.index.json");
            var header = Json("{\"__header__\":true,\"schema_version\":\"ATIF-v1.4\",\"session_id\":\"s\",\"agent\":{\"name\":\"a\"}}");
            new TrajectoryIndex(header, TrajectoryStatus.Failed, 7, "2026-11-21T09:00:00.000Z", 1234, Json("{\"total_steps\":7}"))
                .Write(path, new AtomicFileWriter(), new DateTimeOffset(2026, 11, 21, 10, 0, 0, 5, TimeSpan.FromHours(1)));

            JsonTree written = JsonTreeReader.Read(File.ReadAllBytes(path));
            string compact = Encoding.UTF8.GetString(JsonTreeWriter.WriteLine(written.Root)).TrimEnd('\n');

            Assert.Equal("{\"session_id\":\"s\",\"schema_version\":\"ATIF-v1.4\",\"agent\":{\"name\":\"a\"},\"status\":\"failed\","
                + "\"checkpoint\":{\"step_id\":7,\"timestamp\":\"2026-11-21T09:00:00.000Z\",\"completed_step_count\":7,\"byte_offset\":1234},"
                + "\"final_metrics\":{\"total_steps\":7},\"updated_at\":\"2026-11-21T10:00:00.005+01:00\"}", compact);

            TrajectoryIndex read = TrajectoryIndex.TryRead(path)!;
            Assert.Equal(TrajectoryStatus.Failed, read.Status);
            Assert.Equal(7, read.LastStepId);
            Assert.Equal("2026-11-21T09:00:00.000Z", read.LastTimestamp);
            Assert.Equal(1234, read.ByteOffset);
            Assert.Equal(7L, read.FinalMetrics!["total_steps"]);
            Assert.Equal(new[] { "session_id", "schema_version", "agent" }, read.Header.Select(m => m.Key));
        }

        [Theory]
        [InlineData("[1]")]
        [InlineData("{\"session_id\":\"s\"}")]
        [InlineData("{\"checkpoint\":3}")]
        [InlineData("{\"checkpoint\":")]
        public void An_index_without_a_checkpoint_object_is_no_index(string content)
        {
            string path = _folder.File("s.index.json");
            File.WriteAllText(path, content);

            Assert.Null(TrajectoryIndex.TryRead(path));
            Assert.Null(TrajectoryIndex.TryRead(_folder.File("missing.index.json")));
        }

        [Fact]
        public void A_checkpoint_missing_its_fields_reads_as_the_start_with_no_offset()
        {
            string path = _folder.File("s.index.json");
            File.WriteAllText(path, "{\"status\":\"bogus\",\"checkpoint\":{\"step_id\":\"3\",\"byte_offset\":1.5},\"final_metrics\":[]}");

            TrajectoryIndex index = TrajectoryIndex.TryRead(path)!;

            Assert.Equal(TrajectoryStatus.InProgress, index.Status);
            Assert.Equal(0, index.LastStepId);
            Assert.Equal(-1, index.ByteOffset);
            Assert.Null(index.LastTimestamp);
            Assert.Null(index.FinalMetrics);
            Assert.Empty(index.Header);
        }

        [Fact]
        public void A_header_only_trajectory_trusts_an_agreeing_index_and_not_one_that_claims_a_step()
        {
            string path;
            using (TrajectoryWriter writer = Start())
            {
                path = writer.Path;
            }

            TrajectorySummary fresh = TrajectorySummary.Inspect(path);
            Assert.False(fresh.IndexStale);
            Assert.Equal(0, fresh.StepCount);
            Assert.Null(fresh.LastStepAt);
            Assert.Equal(TrajectoryStatus.InProgress, fresh.Status);
            Assert.Equal("MechaCoder", fresh.AgentName);
            Assert.Equal("2.0", fresh.AgentVersion);
            Assert.Equal("claude", fresh.ModelName);
            Assert.Equal("ATIF-v1.4", fresh.SchemaVersion);
            Assert.Equal(DateTimeOffset.Parse("2026-11-21T09:00:00.000Z", System.Globalization.CultureInfo.InvariantCulture), fresh.CreatedAt);
            Assert.Equal(1, fresh.RecoveryPlan!.ResumeAtStepId);
            Assert.Equal(new FileInfo(path).Length, fresh.RecoveryPlan.ResumeAtOffset);

            TrajectoryIndex index = TrajectoryIndex.TryRead(TrajectoryFiles.IndexPathFor(path))!;
            new TrajectoryIndex(index.Header, TrajectoryStatus.InProgress, 1, null, index.ByteOffset, null).Write(TrajectoryFiles.IndexPathFor(path), new AtomicFileWriter(), _now);
            Assert.True(TrajectorySummary.Inspect(path).IndexStale);
            new TrajectoryIndex(index.Header, TrajectoryStatus.Completed, 0, null, index.ByteOffset, null).Write(TrajectoryFiles.IndexPathFor(path), new AtomicFileWriter(), _now);
            Assert.True(TrajectorySummary.Inspect(path).IndexStale);
            new TrajectoryIndex(index.Header, TrajectoryStatus.InProgress, 0, null, index.ByteOffset + 1, null).Write(TrajectoryFiles.IndexPathFor(path), new AtomicFileWriter(), _now);
            Assert.True(TrajectorySummary.Inspect(path).IndexStale);
        }

        [Fact]
        public void A_step_summary_distrusts_an_index_with_another_step_or_status()
        {
            string path;
            using (TrajectoryWriter writer = Start())
            {
                writer.Append(Json("{\"source\":\"user\",\"message\":\"m\"}"));
                path = writer.Path;
            }

            string indexPath = TrajectoryFiles.IndexPathFor(path);
            TrajectoryIndex index = TrajectoryIndex.TryRead(indexPath)!;
            Assert.False(TrajectorySummary.Inspect(path).IndexStale);

            new TrajectoryIndex(index.Header, TrajectoryStatus.InProgress, 2, null, index.ByteOffset, null).Write(indexPath, new AtomicFileWriter(), _now);
            Assert.True(TrajectorySummary.Inspect(path).IndexStale);
            new TrajectoryIndex(index.Header, TrajectoryStatus.Failed, 1, null, index.ByteOffset, null).Write(indexPath, new AtomicFileWriter(), _now);
            TrajectorySummary summary = TrajectorySummary.Inspect(path);
            Assert.True(summary.IndexStale);
            Assert.Equal(TrajectoryStatus.InProgress, summary.Status);
            Assert.Equal(1, summary.StepCount);
            Assert.Equal(DateTimeOffset.Parse("2026-11-21T09:00:00.000Z", System.Globalization.CultureInfo.InvariantCulture), summary.LastStepAt);
        }

        [Fact]
        public void A_closed_summary_takes_the_last_step_from_an_agreeing_index_and_scans_otherwise()
        {
            string path;
            using (TrajectoryWriter writer = Start())
            {
                writer.Append(Json("{\"source\":\"user\",\"message\":\"m\"}"));
                writer.Append(Json("{\"source\":\"agent\",\"message\":\"n\",\"timestamp\":\"2026-11-21T09:00:09Z\"}"));
                path = writer.Path;
                writer.Complete(TrajectoryStatus.Failed);
            }

            string indexPath = TrajectoryFiles.IndexPathFor(path);
            TrajectoryIndex index = TrajectoryIndex.TryRead(indexPath)!;
            TrajectorySummary trusted = TrajectorySummary.Inspect(path);
            Assert.False(trusted.IndexStale);
            Assert.Equal(TrajectoryStatus.Failed, trusted.Status);
            Assert.Equal(2, trusted.StepCount);
            Assert.Equal(DateTimeOffset.Parse("2026-11-21T09:00:09Z", System.Globalization.CultureInfo.InvariantCulture), trusted.LastStepAt);
            Assert.Null(trusted.RecoveryPlan);

            // An index that says completed disagrees with the stream's "failed": the stream is scanned.
            new TrajectoryIndex(index.Header, TrajectoryStatus.Completed, 5, "never", index.ByteOffset, null).Write(indexPath, new AtomicFileWriter(), _now);
            TrajectorySummary scanned = TrajectorySummary.Inspect(path);
            Assert.True(scanned.IndexStale);
            Assert.Equal(TrajectoryStatus.Failed, scanned.Status);
            Assert.Equal(2, scanned.StepCount);
            Assert.Equal(DateTimeOffset.Parse("2026-11-21T09:00:09Z", System.Globalization.CultureInfo.InvariantCulture), scanned.LastStepAt);
            Assert.Equal(2L, scanned.FinalMetrics!["total_steps"]);
        }

        [Fact]
        public void A_legacy_document_without_steps_is_a_completed_trajectory_of_none()
        {
            string path = _folder.File("legacy.json");
            File.WriteAllText(path, "{\"schema_version\":\"ATIF-v1.4\",\"session_id\":\"old\",\"steps\":[],\"final_metrics\":{\"total_steps\":0}}");

            TrajectorySummary summary = TrajectorySummary.Inspect(path);

            Assert.True(summary.IsLegacy);
            Assert.Equal(TrajectoryStatus.Completed, summary.Status);
            Assert.Equal(0, summary.StepCount);
            Assert.Null(summary.LastStepAt);
            Assert.Equal("old", summary.SessionId);
            Assert.Equal(new[] { "schema_version", "session_id" }, summary.Header.Select(m => m.Key));
            Assert.Equal(0L, summary.FinalMetrics!["total_steps"]);
            Assert.Equal(new FileInfo(path).Length, summary.Length);
            Assert.Null(summary.RecoveryPlan);
        }
    }
}
