using System;
using System.IO;
using System.Linq;
using System.Text;
using AgentState.IO;
using AgentState.Json;
using AgentState.Locking;
using AgentState.Trajectories;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>
    /// The small parts of the trajectory store: status words, what its exceptions carry, the index file, the recovery
    /// plan's text, the line reader at its edges, following, and repair.
    /// </summary>
    public sealed class TrajectoryPartsTests : IDisposable
    {
        private const string Header = "{\"__header__\":true,\"schema_version\":\"ATIF-v1.4\",\"session_id\":\"s1\",\"agent\":{\"name\":\"a\",\"version\":\"1\"},\"created_at\":\"2026-11-21T09:00:00.000+00:00\"}\n";
        private const string StepLine = "{\"step_id\":1,\"source\":\"user\",\"message\":\"m\"}\n";
        private readonly TestFolder _folder = new TestFolder();

        public void Dispose() => _folder.Dispose();

        private string Written(string content)
        {
            string path = Path.Combine(_folder.Path, "20261121", "s1.atif.jsonl");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
            return path;
        }

        private static TrajectoryIndex Index(OrderedJsonObject header) => new TrajectoryIndex(header, TrajectoryStatus.InProgress, 3, null, 10, null);

        [Fact]
        public void The_status_words_round_trip()
        {
            Assert.Equal("in_progress", TrajectoryStatus.InProgress.ToFileText());
            Assert.Equal(TrajectoryStatus.InProgress, TrajectoryStatuses.Parse("in_progress"));
            Assert.Null(TrajectoryStatuses.Parse(""));
        }

        [Fact]
        public void The_exceptions_carry_what_they_name()
        {
            var exists = new TrajectoryExistsException("s1", "/t/s1.atif.jsonl");
            var closed = new TrajectoryClosedException("/t/s1.atif.jsonl", TrajectoryStatus.Failed);
            var corrupt = new TrajectoryCorruptException("/t/s1.atif.jsonl", "it is empty");
            var root = new TrajectoryRootNotFoundException("/t");

            Assert.Equal(("s1", "/t/s1.atif.jsonl"), (exists.SessionId, exists.Path));
            Assert.Equal(("/t/s1.atif.jsonl", TrajectoryStatus.Failed), (closed.Path, closed.Status));
            Assert.Equal("/t/s1.atif.jsonl", corrupt.Path);
            Assert.Equal("Cannot find the trajectories' root '/t': the folder does not exist.", root.Message);
        }

        [Fact]
        public void A_bad_session_id_is_named_as_a_session_id()
        {
            var made = Assert.ThrowsAny<ArgumentException>(() => TrajectoryFiles.NewPath(_folder.Path, "../x", DateTimeOffset.UnixEpoch));
            var found = Assert.ThrowsAny<ArgumentException>(() => TrajectoryFiles.Find(_folder.Path, "../x"));

            Assert.Contains("session id", made.Message);
            Assert.Contains("session id", found.Message);
        }

        [Fact]
        public void An_index_without_status_or_final_metrics_reads_as_in_progress_without_them()
        {
            string path = _folder.File("s1.index.json");
            File.WriteAllText(path, "{\"session_id\":\"s1\",\"checkpoint\":{\"step_id\":2}}");

            TrajectoryIndex index = TrajectoryIndex.TryRead(path)!;

            Assert.Equal(TrajectoryStatus.InProgress, index.Status);
            Assert.Null(index.FinalMetrics);
            Assert.Equal(2, index.LastStepId);
        }

        [Fact]
        public void An_index_is_written_without_the_header_marker_and_with_a_null_session_when_there_is_none()
        {
            string path = _folder.File("s1.index.json");

            Index(new OrderedJsonObject { ["__header__"] = true, ["schema_version"] = "ATIF-v1.4" }).Write(path, new AtomicFileWriter(), DateTimeOffset.UnixEpoch);

            var written = (OrderedJsonObject)JsonTreeReader.Read(File.ReadAllBytes(path)).Root!;
            Assert.Equal(new[] { "session_id", "schema_version", "status", "checkpoint", "final_metrics", "updated_at" }, written.Select(m => m.Key));
            Assert.Null(written["session_id"]);
        }

        [Fact]
        public void An_index_is_never_written_through_a_link()
        {
            string elsewhere = _folder.File("elsewhere.json");
            string path = _folder.File("s1.index.json");
            File.CreateSymbolicLink(path, elsewhere);

            var error = Assert.Throws<AtomicWriteException>(() => Index(new OrderedJsonObject { ["session_id"] = "s1" }).Write(path, new AtomicFileWriter(), DateTimeOffset.UnixEpoch));

            Assert.Equal(FailureReason.UnsafePath, error.Reason);
            Assert.False(File.Exists(elsewhere));
        }

        [Fact]
        public void A_recovery_plan_says_where_to_resume_and_what_to_set_aside()
        {
            Assert.Equal("resume at step 4 (after step 3 of 2026-11-21T09:00:00Z); 17 torn bytes to set aside",
                new TrajectoryRecoveryPlan(3, "2026-11-21T09:00:00Z", 100, 17).ToString());
            Assert.Equal("resume at step 1 (after step 0)", new TrajectoryRecoveryPlan(0, null, 100, 0).ToString());
        }

        [Fact]
        public void A_stream_that_starts_with_an_empty_line_reads_it_as_malformed_then_goes_on()
        {
            string path = Written("\n" + StepLine);

            TrajectoryLine[] lines = TrajectoryLineReader.Read(path).ToArray();

            Assert.Equal(new[] { TrajectoryLineKind.Malformed, TrajectoryLineKind.Step }, lines.Select(l => l.Kind));
            Assert.Equal(1, lines[1].Offset);
        }

        [Fact]
        public void A_torn_last_line_is_reported_with_its_own_offset_and_length()
        {
            string path = Written(Header + "{\"step_id\":2,\"so");

            TrajectoryLine torn = TrajectoryLineReader.Read(path).Last();

            Assert.Equal(TrajectoryLineKind.Torn, torn.Kind);
            Assert.Equal(Encoding.UTF8.GetByteCount(Header), torn.Offset);
            Assert.Equal(16, torn.Length);
        }

        [Fact]
        public void The_tail_of_a_file_is_read_while_another_handle_shares_it()
        {
            string path = Written(Header + StepLine);
            using var other = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);

            TrajectoryTail tail = TrajectoryTail.Read(path);

            Assert.Equal(TrajectoryLineKind.Step, tail.LastLine!.Kind);
        }

        [Fact]
        public void Following_leaves_a_partial_last_line_for_later_and_stops_at_the_final_line()
        {
            string open = Written(Header + StepLine + "{\"step_id\":2,\"so");
            TrajectoryLineKind[] partial = TrajectoryFollower.Follow(open, fromStart: true, TimeSpan.Zero).Select(l => l.Kind).ToArray();
            Assert.Equal(new[] { TrajectoryLineKind.Step }, partial);

            string closed = Written(Header + StepLine + "{\"__final__\":true,\"status\":\"completed\"}\n" + "{\"step_id\":2,\"source\":\"user\",\"message\":\"stray\"}\n");
            TrajectoryLineKind[] all = TrajectoryFollower.Follow(closed, fromStart: true, TimeSpan.Zero).Select(l => l.Kind).ToArray();
            Assert.Equal(new[] { TrajectoryLineKind.Step, TrajectoryLineKind.Final }, all);
        }

        [Fact]
        public void A_dry_run_says_an_abandoned_run_would_be_closed_as_failed_and_changes_nothing()
        {
            string path = Written(Header + StepLine);

            TrajectoryRepairResult result = TrajectoryRepair.Repair(path, markFailed: true, dryRun: true);

            Assert.Equal((TrajectoryStatus.Failed, true, false), (result.Status, result.MarkedFailed, result.Performed));
            Assert.Equal(Header + StepLine, File.ReadAllText(path));
        }

        [Fact]
        public void A_repair_closes_an_abandoned_run_with_a_note_and_lets_go_of_the_lock()
        {
            string path = Written(Header + StepLine);

            TrajectoryRepair.Repair(path, markFailed: false, dryRun: false);
            using (ExclusiveFileLock.AcquireBeside(path, TimeSpan.Zero))
            {
            }

            TrajectoryRepair.Repair(path, markFailed: true, dryRun: false);
            string final = File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
            Assert.Contains("\"notes\":\"closed as failed by Repair-Trajectory: the run was abandoned\"", final);
        }
    }
}
