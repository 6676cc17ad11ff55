using System;
using System.IO;
using System.Text;
using AgentState.IO;
using AgentState.Json;
using AgentState.Trajectories;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>
    /// A trajectory at a glance, from hand-written streams and indexes: which of the two it trusts for each kind of
    /// last line, what it says when they disagree, and how it names a file it cannot read.
    /// </summary>
    public sealed class TrajectorySummaryTests : IDisposable
    {
        private const string Header = "{\"__header__\":true,\"schema_version\":\"ATIF-v1.4\",\"session_id\":\"s1\",\"agent\":{\"name\":\"a\",\"version\":\"2\",\"model_name\":\"m\"},\"created_at\":\"2026-11-22T09:00:00Z\"}\n";
        private const string Step1 = "{\"step_id\":1,\"timestamp\":\"2026-11-22T09:00:01Z\",\"source\":\"user\",\"message\":\"one\"}\n";
        private const string Step2 = "{\"step_id\":2,\"timestamp\":\"2026-11-22T09:00:02Z\",\"source\":\"user\",\"message\":\"two\"}\n";
        private const string Final = "{\"__final__\":true,\"status\":\"failed\",\"final_metrics\":{\"total_steps\":2},\"completed_at\":\"2026-11-22T09:00:03Z\"}\n";

        private readonly TestFolder _folder = new TestFolder();

        public void Dispose() => _folder.Dispose();

        private string Path => _folder.File("s1.atif.jsonl");

        private string Stream(string text)
        {
            File.WriteAllText(Path, text);
            return Path;
        }

        /// <summary>An index that says what the arguments say, with the byte offset of the whole stream unless told.</summary>
        private void Index(TrajectoryStatus status, long lastStepId, string? at = null, long? offset = null) =>
            new TrajectoryIndex(new OrderedJsonObject { ["session_id"] = "s1" }, status, lastStepId, at, offset ?? new FileInfo(Path).Length, null)
                .Write(TrajectoryFiles.IndexPathFor(Path), new AtomicFileWriter(), DateTimeOffset.UnixEpoch);

        [Fact]
        public void The_header_fields_are_read_from_the_streams_first_line()
        {
            TrajectorySummary summary = TrajectorySummary.Inspect(Stream(Header));

            Assert.Equal("s1", summary.SessionId);
            Assert.Equal("a", summary.AgentName);
            Assert.Equal("2", summary.AgentVersion);
            Assert.Equal("m", summary.ModelName);
            Assert.Equal("ATIF-v1.4", summary.SchemaVersion);
            Assert.Equal(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero), summary.CreatedAt);
            Assert.Equal(Path, summary.Path);
            Assert.False(summary.IsLegacy);
        }

        [Theory]
        [InlineData("{\"__header__\":true}")]
        [InlineData("{\"__header__\":true,\"agent\":\"x\"}")]
        [InlineData("{\"__header__\":true,\"agent\":{}}")]
        public void A_header_without_agent_or_session_id_gives_nulls_and_the_file_names_session(string header)
        {
            TrajectorySummary summary = TrajectorySummary.Inspect(Stream(header + "\n"));

            Assert.Equal("s1", summary.SessionId);
            Assert.Null(summary.AgentName);
            Assert.Null(summary.AgentVersion);
            Assert.Null(summary.ModelName);
            Assert.Null(summary.SchemaVersion);
            Assert.Null(summary.CreatedAt);
            Assert.False(summary.Header.ContainsKey("__header__"));
        }

        [Fact]
        public void A_header_alone_is_in_progress_at_step_zero_and_fresh_only_when_the_index_says_so()
        {
            Stream(Header);
            Assert.True(TrajectorySummary.Inspect(Path).IndexStale); // No index.

            Index(TrajectoryStatus.InProgress, 0);
            TrajectorySummary fresh = TrajectorySummary.Inspect(Path);
            Assert.False(fresh.IndexStale);
            Assert.Equal(TrajectoryStatus.InProgress, fresh.Status);
            Assert.Equal(0, fresh.LastStepId);
            Assert.Null(fresh.LastStepAt);
            Assert.Equal(1, fresh.RecoveryPlan!.ResumeAtStepId);

            Index(TrajectoryStatus.InProgress, 1);
            Assert.True(TrajectorySummary.Inspect(Path).IndexStale);
            Index(TrajectoryStatus.Completed, 0);
            Assert.True(TrajectorySummary.Inspect(Path).IndexStale);
            Index(TrajectoryStatus.InProgress, 0, offset: 1);
            Assert.True(TrajectorySummary.Inspect(Path).IndexStale);
        }

        [Fact]
        public void A_last_step_is_fresh_only_when_the_index_has_its_id_and_in_progress()
        {
            Stream(Header + Step1 + Step2);
            Index(TrajectoryStatus.InProgress, 2);
            TrajectorySummary fresh = TrajectorySummary.Inspect(Path);
            Assert.False(fresh.IndexStale);
            Assert.Equal(2, fresh.LastStepId);
            Assert.Equal(new DateTimeOffset(2026, 11, 22, 9, 0, 2, TimeSpan.Zero), fresh.LastStepAt);

            Index(TrajectoryStatus.InProgress, 1);
            Assert.True(TrajectorySummary.Inspect(Path).IndexStale);
            Index(TrajectoryStatus.Failed, 2);
            TrajectorySummary failedIndex = TrajectorySummary.Inspect(Path);
            Assert.True(failedIndex.IndexStale);
            Assert.Equal(TrajectoryStatus.InProgress, failedIndex.Status); // The stream is trusted.
        }

        [Fact]
        public void A_last_step_without_a_timestamp_has_none()
        {
            TrajectorySummary summary = TrajectorySummary.Inspect(Stream(Header + "{\"step_id\":1,\"source\":\"user\",\"message\":\"m\"}\n"));

            Assert.Equal(1, summary.LastStepId);
            Assert.Null(summary.LastStepAt);
        }

        [Fact]
        public void A_final_line_takes_the_steps_from_an_agreeing_index_and_scans_the_stream_otherwise()
        {
            Stream(Header + Step1 + Step2 + Final);
            Index(TrajectoryStatus.Failed, 7, "2026-01-01T00:00:00Z"); // Agrees on offset and status: its step is believed.
            TrajectorySummary fromIndex = TrajectorySummary.Inspect(Path);
            Assert.False(fromIndex.IndexStale);
            Assert.Equal(TrajectoryStatus.Failed, fromIndex.Status);
            Assert.Equal(7, fromIndex.LastStepId);
            Assert.Equal(2L, fromIndex.FinalMetrics!["total_steps"]);
            Assert.Null(fromIndex.RecoveryPlan);
            Assert.False(fromIndex.IsLegacy);

            Index(TrajectoryStatus.Completed, 7);
            TrajectorySummary scanned = TrajectorySummary.Inspect(Path);
            Assert.True(scanned.IndexStale);
            Assert.Equal(TrajectoryStatus.Failed, scanned.Status);
            Assert.Equal(2, scanned.LastStepId);
            Assert.Equal(new DateTimeOffset(2026, 11, 22, 9, 0, 2, TimeSpan.Zero), scanned.LastStepAt);
            Assert.Equal(2L, scanned.FinalMetrics!["total_steps"]);
            Assert.False(scanned.IsLegacy);
        }

        [Fact]
        public void A_final_line_without_status_or_metrics_is_completed_without_them()
        {
            TrajectorySummary summary = TrajectorySummary.Inspect(Stream(Header + Step1 + "{\"__final__\":true}\n"));

            Assert.Equal(TrajectoryStatus.Completed, summary.Status);
            Assert.Null(summary.FinalMetrics);
            Assert.Equal(1, summary.LastStepId);
        }

        [Fact]
        public void A_malformed_last_line_is_summarised_from_a_scan_of_the_stream_with_its_torn_tail_counted()
        {
            const string torn = "{\"step_id\":4,";
            Stream(Header + Step1 + Step2 + "{not json\n" + torn);
            Index(TrajectoryStatus.InProgress, 2, offset: new FileInfo(Path).Length - torn.Length);

            TrajectorySummary summary = TrajectorySummary.Inspect(Path);

            Assert.True(summary.IndexStale);
            Assert.Equal(TrajectoryStatus.InProgress, summary.Status);
            Assert.Equal(2, summary.LastStepId);
            Assert.Equal(new FileInfo(Path).Length, summary.Length);
            Assert.Equal(torn.Length, summary.TornBytes);
            Assert.Equal(summary.Length - torn.Length, summary.RecoveryPlan!.ResumeAtOffset);
            Assert.False(summary.IsLegacy);
        }

        [Fact]
        public void A_scan_of_the_whole_stream_counts_the_torn_tail_and_takes_the_final_line()
        {
            const string torn = "{\"step_id\":3,";
            TrajectorySummary summary = TrajectorySummary.FromStream(Stream(Header + Step1 + Header.Replace("\"s1\"", "\"s2\"") + "{\"step_id\":2,\"source\":\"user\",\"message\":\"two\"}\n" + Final + torn));

            Assert.Equal(TrajectoryStatus.Failed, summary.Status);
            Assert.Equal(2, summary.LastStepId);
            Assert.Null(summary.LastStepAt); // The last step has no timestamp; step 1's is not taken.
            Assert.Equal(torn.Length, summary.TornBytes);
            Assert.Equal(new FileInfo(Path).Length, summary.Length);
            Assert.Equal("s1", summary.SessionId); // The first header, not a later stray one.
            Assert.False(summary.Header.ContainsKey("__header__"));
            Assert.True(summary.IndexStale);
            Assert.False(summary.IsLegacy);
            TrajectorySummary bare = TrajectorySummary.FromStream(Stream(Header + "{\"__final__\":true}\n"));
            Assert.Equal(TrajectoryStatus.Completed, bare.Status);
            Assert.Null(bare.FinalMetrics);
            var noHeader = Assert.Throws<TrajectoryCorruptException>(() => TrajectorySummary.FromStream(Stream(Step1)));
            Assert.Contains("it has no {\"__header__\":true,...} line", noHeader.Message);
        }

        [Fact]
        public void A_missing_file_and_a_link_are_named()
        {
            var missing = Assert.Throws<TrajectoryNotFoundException>(() => TrajectorySummary.Inspect(Path));
            Assert.Contains(Path, missing.Message);

            string real = _folder.File("real.atif.jsonl");
            File.WriteAllText(real, Header);
            File.CreateSymbolicLink(Path, real);
            var link = Assert.Throws<TrajectoryCorruptException>(() => TrajectorySummary.Inspect(Path));
            Assert.Equal(Path, link.Path);
            Assert.Contains("which AgentState never reads or writes through", link.Message);
        }

        [Theory]
        [InlineData("{\"schema_version\":\"ATIF-v1.4\"", "cannot be used: Not valid JSON: ")]
        [InlineData("[1]", "it is not a JSON object")]
        [InlineData("{\"schema_version\":\"ATIF-v1.4\"}", "it is not an ATIF document (no schema_version and steps)")]
        [InlineData("{\"steps\":[]}", "it is not an ATIF document (no schema_version and steps)")]
        public void A_legacy_file_that_is_not_an_atif_document_is_refused_naming_it(string text, string reason)
        {
            string legacy = _folder.File("old.json");
            File.WriteAllText(legacy, text);

            var error = Assert.Throws<TrajectoryCorruptException>(() => TrajectorySummary.Inspect(legacy));

            Assert.Equal(legacy, error.Path);
            Assert.Contains(reason, error.Message);
        }

        [Fact]
        public void A_legacy_document_is_completed_with_its_last_steps_id_and_time_and_no_recovery_plan()
        {
            string legacy = _folder.File("old.json");
            File.WriteAllText(legacy, "{\"schema_version\":\"ATIF-v1.4\",\"session_id\":\"old\",\"agent\":{\"name\":\"a\",\"version\":\"1\"},\"steps\":[{\"step_id\":1},{\"step_id\":2,\"timestamp\":\"2026-01-01T00:00:00Z\"}],\"final_metrics\":{\"total_steps\":2}}");

            TrajectorySummary summary = TrajectorySummary.Inspect(legacy);

            Assert.True(summary.IsLegacy);
            Assert.Equal(TrajectoryStatus.Completed, summary.Status);
            Assert.Equal("old", summary.SessionId);
            Assert.Equal(2, summary.LastStepId);
            Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), summary.LastStepAt);
            Assert.Equal(2L, summary.FinalMetrics!["total_steps"]);
            Assert.Equal(new FileInfo(legacy).Length, summary.Length);
            Assert.False(summary.IndexStale);
            Assert.Null(summary.RecoveryPlan);

            File.WriteAllText(legacy, "{\"schema_version\":\"ATIF-v1.4\",\"steps\":[]}");
            TrajectorySummary empty = TrajectorySummary.Inspect(legacy);
            Assert.Equal(0, empty.LastStepId);
            Assert.Null(empty.LastStepAt);
            Assert.Null(empty.FinalMetrics);
        }
    }
}
