using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AgentState.History;
using AgentState.IO;
using AgentState.Json;
using AgentState.Tests.Fixtures;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    public sealed class HistoryRebuilderTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();
        private readonly string _run;

        public HistoryRebuilderTests()
        {
            _run = Path.Combine(_folder.Path, ".long-run");
            Directory.CreateDirectory(_run);
        }

        public void Dispose() => _folder.Dispose();

        private string History => Path.Combine(_run, "agent-history.json");

        private OrderedJsonObject ReadHistory() => (OrderedJsonObject)JsonTreeReader.Read(File.ReadAllBytes(History)).Root!;

        private static List<object?> List(object? value) => Assert.IsType<List<object?>>(value);

        [Fact]
        public void A_summary_with_full_front_matter_becomes_an_entry_with_every_field()
        {
            SummaryFixtures.Write(_run, "summaries/01-01-SUMMARY.md", SummaryFixtures.FullFrontMatter);

            HistoryRebuildResult result = new HistoryRebuilder().Rebuild(_run);

            Assert.Equal(HistoryRebuildAction.Rebuilt, result.Action);
            Assert.Empty(result.Warnings);
            OrderedJsonObject history = ReadHistory();
            Assert.Equal("1.0", history["version"]);
            Assert.Equal(50L, history["max_entries"]);
            var entry = Assert.IsType<OrderedJsonObject>(Assert.Single(List(history["entries"])));
            Assert.Equal(new[] { "plan", "phase", "status", "completed", "duration", "summary", "subsystem", "tags", "requires", "provides", "affects", "tech-stack", "key-files", "key-decisions", "patterns-established" },
                entry.Select(f => f.Key));
            Assert.Equal("01-01", entry["plan"]);
            Assert.Equal("01-foundation-agent-loop", entry["phase"]);
            Assert.Equal("completed", entry["status"]);
            Assert.Equal("2026-02-11", entry["completed"]);
            Assert.Equal("3.4min", entry["duration"]);
            Assert.Equal("summaries/01-01-SUMMARY.md", entry["summary"]);
            Assert.Equal("foundation", entry["subsystem"]);
            Assert.Equal(new object?[] { "python", "dataclasses", "jsonl", "trajectory-storage", "atomic-writes" }, List(entry["tags"]));
            var requires = Assert.IsType<OrderedJsonObject>(Assert.Single(List(entry["requires"])));
            Assert.Equal("none", requires["phase"]);
            Assert.Equal("Initial project setup", requires["provides"]);
            var keyFiles = Assert.IsType<OrderedJsonObject>(entry["key-files"]);
            Assert.Equal(new object?[] { "pyproject.toml", "src/trajectory/models.py" }, List(keyFiles["created"]));
            Assert.Empty(List(keyFiles["modified"]));
            Assert.Equal(new object?[] { "Atomic writes: temp file + flush + fsync + os.replace" }, List(entry["patterns-established"]));
            Assert.Equal(1, result.CompletedPlans);
            Assert.Equal("01-01", result.LastPlan);
            Assert.Equal(new DateTimeOffset(new DateTime(2026, 2, 11, 0, 0, 0, DateTimeKind.Local)), result.LastCompleted);
            Assert.Equal(1, result.EntriesWritten);
        }

        [Fact]
        public void A_summary_without_front_matter_takes_its_plan_from_the_name_and_its_time_from_the_file()
        {
            SummaryFixtures.Write(_run, "summaries/01-02-SUMMARY.md", SummaryFixtures.NoFrontMatter, new DateTime(2026, 2, 12, 8, 30, 0, DateTimeKind.Utc));
            SummaryFixtures.Write(_run, "summaries/0133-SUMMARY.md", SummaryFixtures.NoFrontMatter, new DateTime(2026, 2, 13, 0, 0, 0, DateTimeKind.Utc));

            new HistoryRebuilder().Rebuild(_run);

            var entries = List(ReadHistory()["entries"]).Cast<OrderedJsonObject>().ToList();
            Assert.Equal("01-02", entries[0]["plan"]);
            Assert.Equal("01", entries[0]["phase"]);
            Assert.Equal("2026-02-12T08:30:00.000+00:00", entries[0]["completed"]);
            Assert.Equal(new[] { "plan", "phase", "status", "completed", "summary" }, entries[0].Select(f => f.Key));
            Assert.Equal("0133", entries[1]["plan"]);
            Assert.Null(entries[1]["phase"]);
        }

        [Fact]
        public void Malformed_front_matter_is_a_warning_with_file_and_line_and_the_name_still_counts()
        {
            string broken = SummaryFixtures.Write(_run, "summaries/02-01-SUMMARY.md", SummaryFixtures.MalformedFrontMatter);
            SummaryFixtures.Write(_run, "summaries/01-01-SUMMARY.md", SummaryFixtures.FullFrontMatter);

            HistoryRebuildResult result = new HistoryRebuilder().Rebuild(_run);

            SummaryWarning warning = Assert.Single(result.Warnings);
            Assert.Equal(broken, warning.Path);
            Assert.NotNull(warning.Line);
            Assert.InRange(warning.Line!.Value, 4, 6);
            Assert.Contains("malformed front matter", warning.Message);
            Assert.StartsWith($"{broken}:{warning.Line}: ", warning.ToString());
            Assert.Equal(new[] { "01-01", "02-01" }, result.Entries.Select(e => e["plan"]));
        }

        [Fact]
        public void A_plan_summarised_twice_gives_one_entry_the_later_one_with_a_warning()
        {
            SummaryFixtures.Write(_run, "summaries/01-01-SUMMARY.md", SummaryFixtures.Minimal("01-foundation", "01", "2026-02-11"));
            string older = SummaryFixtures.Write(_folder.Path, ".planning/phases/01-foundation/01-01-SUMMARY.md", SummaryFixtures.Minimal("01-foundation", "01", "2026-02-01"));

            HistoryRebuildResult result = new HistoryRebuilder().Rebuild(_run);

            OrderedJsonObject entry = Assert.Single(result.Entries);
            Assert.Equal("2026-02-11", entry["completed"]);
            SummaryWarning warning = Assert.Single(result.Warnings);
            Assert.Equal(older, warning.Path);
            Assert.Contains("plan 01-01", warning.Message);
            Assert.Equal(1, result.CompletedPlans);
        }

        [Fact]
        public void Only_the_newest_max_entries_are_kept_in_completion_order()
        {
            for (int i = 1; i <= 12; i++)
            {
                SummaryFixtures.Write(_run, $"summaries/03-{i:00}-SUMMARY.md", SummaryFixtures.Minimal("03-scale", $"{i:00}", $"2026-03-{i:00}"));
            }

            HistoryRebuildResult result = new HistoryRebuilder().Rebuild(_run, maxEntries: 5);

            Assert.Equal(12, result.CompletedPlans);
            Assert.Equal(new[] { "03-08", "03-09", "03-10", "03-11", "03-12" }, List(ReadHistory()["entries"]).Cast<OrderedJsonObject>().Select(e => e["plan"]));
            Assert.Equal(5L, ReadHistory()["max_entries"]);
            Assert.Contains(result.Warnings, w => w.Message.Contains("7 older plan(s) left out"));
            Assert.Equal("03-12", result.LastPlan);
        }

        [Fact]
        public void A_valid_history_is_kept_without_force_and_replaced_with_it()
        {
            File.WriteAllText(History, "{\"version\":\"1.0\",\"max_entries\":50,\"entries\":[{\"plan\":\"hand-made\"}]}");
            SummaryFixtures.Write(_run, "summaries/01-01-SUMMARY.md", SummaryFixtures.FullFrontMatter);

            HistoryRebuildResult kept = new HistoryRebuilder().Rebuild(_run);
            Assert.Equal(HistoryRebuildAction.KeptValid, kept.Action);
            Assert.Equal(0, kept.EntriesWritten);
            Assert.Contains("hand-made", File.ReadAllText(History));

            HistoryRebuildResult forced = new HistoryRebuilder().Rebuild(_run, force: true);
            Assert.Equal(HistoryRebuildAction.Rebuilt, forced.Action);
            Assert.DoesNotContain("hand-made", File.ReadAllText(History));
        }

        [Fact]
        public void A_corrupt_history_is_rebuilt_with_a_warning()
        {
            File.WriteAllText(History, "{\"version\":\"1.0\",\"entries\":[{\"plan\":");
            SummaryFixtures.Write(_run, "summaries/01-01-SUMMARY.md", SummaryFixtures.FullFrontMatter);

            HistoryRebuildResult result = new HistoryRebuilder().Rebuild(_run);

            Assert.Equal(HistoryRebuildAction.Rebuilt, result.Action);
            Assert.Contains(result.Warnings, w => w.Message.Contains("existing history is invalid"));
            Assert.Equal("01-01", ((OrderedJsonObject)List(ReadHistory()["entries"])[0]!)["plan"]);
        }

        [Fact]
        public void A_dry_run_computes_the_document_and_writes_nothing()
        {
            SummaryFixtures.Write(_run, "summaries/01-01-SUMMARY.md", SummaryFixtures.FullFrontMatter);

            HistoryRebuildResult result = new HistoryRebuilder().Rebuild(_run, dryRun: true);

            Assert.Equal(HistoryRebuildAction.WouldRebuild, result.Action);
            Assert.False(File.Exists(History));
            Assert.Contains("\"plan\": \"01-01\"", System.Text.Encoding.UTF8.GetString(result.Document));
        }

        [Fact]
        public void A_dry_runs_plan_is_written_as_planned_and_a_kept_plan_cannot_be_written()
        {
            SummaryFixtures.Write(_run, "summaries/01-01-SUMMARY.md", SummaryFixtures.FullFrontMatter);
            var rebuilder = new HistoryRebuilder();

            HistoryRebuildResult plan = rebuilder.Rebuild(_run, dryRun: true);
            HistoryRebuildResult written = rebuilder.Commit(plan);

            Assert.Equal(HistoryRebuildAction.Rebuilt, written.Action);
            Assert.Equal(plan.Document, File.ReadAllBytes(History));
            Assert.Equal(1, written.EntriesWritten);
            HistoryRebuildResult kept = rebuilder.Rebuild(_run, dryRun: true);
            Assert.Equal(HistoryRebuildAction.KeptValid, kept.Action);
            Assert.Throws<InvalidOperationException>(() => rebuilder.Commit(kept));
        }

        [Fact]
        public void A_failed_write_leaves_the_old_history_as_it_was()
        {
            const string corrupt = "{\"entries\":";
            File.WriteAllText(History, corrupt);
            SummaryFixtures.Write(_run, "summaries/01-01-SUMMARY.md", SummaryFixtures.FullFrontMatter);
            var files = new FaultyFileOperations { FailOn = nameof(IFileOperations.Write) };

            var error = Assert.Throws<AtomicWriteException>(() => new HistoryRebuilder(new AtomicFileWriter(files)).Rebuild(_run));

            Assert.Equal(FailureReason.DiskFull, error.Reason);
            Assert.Equal(corrupt, File.ReadAllText(History));
            Assert.Equal(new[] { "agent-history.json", "summaries" }, Directory.EnumerateFileSystemEntries(_run).Select(Path.GetFileName).OrderBy(n => n));
        }

        [Fact]
        public void Summaries_are_found_in_the_run_folder_and_the_phase_layout_beside_it()
        {
            string a = SummaryFixtures.Write(_run, "summaries/01-01-SUMMARY.md", "x");
            string b = SummaryFixtures.Write(_folder.Path, ".planning/phases/02-eval/02-01-SUMMARY.md", "x");
            SummaryFixtures.Write(_run, "summaries/notes.md", "not a summary");

            Assert.Equal(new[] { a, b }.OrderBy(p => p, StringComparer.Ordinal), HistoryRebuilder.FindSummaries(_run));
        }

        [Theory]
        [InlineData("---\nphase: 01\nplan: 02\nkey: value: other\n---\n", 4)]
        [InlineData("---\nphase: 01\ntags: [unclosed, list\nduration: 5min\n---\n", 3)]
        [InlineData("---\nphase: 01\nno closing line\n", 1)]
        public void Malformed_front_matter_names_the_line(string text, int line)
        {
            FrontMatter front = FrontMatter.Parse(text);

            Assert.True(front.Present);
            Assert.Null(front.Fields);
            Assert.NotNull(front.Error);
            Assert.Equal(line, front.ErrorLine);
        }

        [Fact]
        public void Text_without_front_matter_has_none()
        {
            FrontMatter front = FrontMatter.Parse("# Title\n---\nnot: front matter\n---\n");

            Assert.False(front.Present);
            Assert.Null(front.Error);
        }

        [Theory]
        [InlineData("---\nplan: 01\ncount: 3\nratio: 0.50\nflag: true\nnothing: ~\nquoted: \"7\"\n---\n", "01", 3L, 0.50, true)]
        public void Front_matter_scalars_keep_their_text_where_a_type_would_change_it(string text, string plan, long count, double ratio, bool flag)
        {
            OrderedJsonObject fields = FrontMatter.Parse(text).Fields!;

            Assert.Equal(plan, fields["plan"]);
            Assert.Equal(count, fields["count"]);
            Assert.Equal((decimal)ratio, fields["ratio"]);
            Assert.Equal(flag, fields["flag"]);
            Assert.Null(fields["nothing"]);
            Assert.Equal("7", fields["quoted"]);
        }
    }
}
