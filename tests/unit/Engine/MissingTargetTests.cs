using System;
using System.IO;
using System.Linq;
using AgentState.Agents;
using AgentState.History;
using AgentState.Json;
using AgentState.Markdown;
using AgentState.Recovery;
using AgentState.Tests.Fixtures;
using AgentState.Tests.Support;
using AgentState.Trajectories;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>
    /// A missing root, file or folder is an error, never an empty answer, and looking for something that is not
    /// there leaves nothing behind (no folder, no history, no lock file).
    /// </summary>
    public sealed class MissingTargetTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();

        public void Dispose() => _folder.Dispose();

        private string Missing => _folder.File("nothere");

        [Fact]
        public void Scanning_a_store_whose_root_is_missing_is_an_error_from_the_call_itself()
        {
            var store = new AgentStateStore(Missing);

            var error = Assert.Throws<AgentStoreNotFoundException>(() => store.Scan());

            Assert.Equal(Missing, error.Root);
            Assert.Contains(Missing, error.Message);
            Assert.False(Directory.Exists(Missing));
        }

        [Fact]
        public void The_summary_and_the_incomplete_agents_of_a_missing_store_are_errors()
        {
            var store = new AgentStateStore(Missing);

            Assert.Throws<AgentStoreNotFoundException>(() => AgentRecoverySummary.Collect(store));
            Assert.Throws<AgentStoreNotFoundException>(() => AgentStateQueries.FindIncomplete(store).ToList());
        }

        [Fact]
        public void A_root_without_a_state_folder_is_an_empty_store()
        {
            var store = new AgentStateStore(_folder.Path);

            Assert.True(store.Exists);
            Assert.Empty(store.Scan());
            Assert.Equal(0, AgentRecoverySummary.Collect(store).Total);
        }

        [Fact]
        public void Listing_trajectories_under_a_missing_root_is_an_error_but_starting_one_there_creates_it()
        {
            var error = Assert.Throws<TrajectoryRootNotFoundException>(() => TrajectoryFiles.All(Missing));
            Assert.Equal(Missing, error.Root);
            Assert.Null(TrajectoryFiles.Find(Missing, "s1"));

            using (TrajectoryWriter.Start(new TrajectoryStart(Missing, "agent", "1") { SessionId = "s1" }))
            {
            }

            Assert.Single(TrajectoryFiles.All(Missing));
        }

        [Fact]
        public void Temp_files_of_a_path_that_is_not_there_and_has_no_temp_are_an_error()
        {
            var scanner = new OrphanedTempScanner(null, _ => false);

            Assert.Throws<FileNotFoundException>(() => scanner.Scan(_folder.File("nothing.json")));
            Assert.Throws<DirectoryNotFoundException>(() => scanner.Scan(Path.Combine(Missing, "x.json")));
        }

        [Fact]
        public void A_missing_target_with_a_temp_file_beside_it_is_scanned()
        {
            File.WriteAllText(_folder.File("new.json.tmp.99999.abcdef"), "{}");

            OrphanedTempFile orphan = Assert.Single(new OrphanedTempScanner(null, _ => false).Scan(_folder.File("new.json")));

            Assert.Equal(_folder.File("new.json"), orphan.TargetPath);
            Assert.False(orphan.TargetExists);
        }

        [Fact]
        public void A_temp_file_given_itself_is_that_one_orphan()
        {
            File.WriteAllText(_folder.File("a.json"), "{}");
            string first = _folder.File("a.json.tmp.99999.aaaaaa");
            File.WriteAllText(first, "{\"v\":1}");
            File.WriteAllText(_folder.File("a.json.tmp.99998.bbbbbb"), "{\"v\":2}");

            OrphanedTempFile orphan = Assert.Single(new OrphanedTempScanner(null, _ => false).Scan(first));

            Assert.Equal(first, orphan.TempPath);
            Assert.Equal(_folder.File("a.json"), orphan.TargetPath);
        }

        [Fact]
        public void Rebuilding_the_history_of_a_missing_folder_is_an_error_and_creates_nothing()
        {
            Assert.Throws<DirectoryNotFoundException>(() => new HistoryRebuilder().Rebuild(Missing));

            Assert.False(Directory.Exists(Missing));
        }

        [Fact]
        public void Rebuilding_the_history_of_a_folder_without_summaries_is_an_error_and_writes_nothing()
        {
            var error = Assert.Throws<SummariesNotFoundException>(() => new HistoryRebuilder().Rebuild(_folder.Path, force: true));

            Assert.Equal(_folder.Path, error.StateFolder);
            Assert.Empty(_folder.Leftovers());
        }

        [Fact]
        public void Rebuilding_from_summaries_still_works()
        {
            SummaryFixtures.Write(_folder.Path, "summaries/01-01-SUMMARY.md", SummaryFixtures.Minimal("01-a", "01", "2026-02-11"));

            HistoryRebuildResult result = new HistoryRebuilder().Rebuild(_folder.Path);

            Assert.Equal(HistoryRebuildAction.Rebuilt, result.Action);
            Assert.Equal(1, result.CompletedPlans);
        }

        [Theory]
        [InlineData("new.json")]
        [InlineData("sub/new.json")]
        public void Updating_a_missing_json_file_is_file_not_found_and_leaves_no_lock_file(string relative)
        {
            string path = _folder.File(relative);

            var error = Assert.Throws<FileNotFoundException>(() => new JsonFileUpdater().Update(path, root => root));

            Assert.Equal(path, error.FileName);
            Assert.Empty(_folder.Leftovers());
        }

        [Fact]
        public void Creating_a_missing_json_file_still_works()
        {
            string path = _folder.File("new.json");

            new JsonFileUpdater().Update(path, root => root, createIfMissing: true);

            Assert.Equal("{}", File.ReadAllText(path).Trim());
        }

        [Theory]
        [InlineData("STATE.md")]
        [InlineData("sub/STATE.md")]
        public void Setting_a_field_of_a_missing_markdown_file_is_file_not_found_and_leaves_no_lock_file(string relative)
        {
            string path = _folder.File(relative);

            var error = Assert.Throws<FileNotFoundException>(() => new MarkdownFieldFile().Set(path, "Status", "done"));

            Assert.Equal(path, error.FileName);
            Assert.Empty(_folder.Leftovers());
        }
    }
}
