using System;
using System.IO;
using System.Linq;
using System.Text;
using AgentState.Agents;
using AgentState.IO;
using AgentState.Json;
using AgentState.Markdown;
using AgentState.Platform;
using AgentState.Recovery;
using AgentState.Trajectories;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>
    /// A folder an attacker can write: links (and hard links, pipes) planted where the module keeps its own files
    /// must never redirect a write, a move or a delete. The victim is a file the test owns, checked byte for byte.
    /// </summary>
    public sealed class HostileFolderTests : IDisposable
    {
        private const string VictimText = "root:secret:19000:0:99999:7:::\n";
        private readonly TestFolder _folder = new TestFolder();
        private readonly TestFolder _outside = new TestFolder();
        private readonly string _victim;

        public HostileFolderTests()
        {
            _victim = _outside.File("victim");
            File.WriteAllText(_victim, VictimText);
        }

        public void Dispose()
        {
            _folder.Dispose();
            _outside.Dispose();
        }

        private void AssertVictimUntouched()
        {
            Assert.Equal(VictimText, File.ReadAllText(_victim));
            Assert.Equal(new[] { "victim" }, _outside.Leftovers());
        }

        private static void AssertIsLinkTo(string link, string target) => Assert.Equal(target, new FileInfo(link).LinkTarget);

        [Fact]
        public void A_lock_file_planted_as_a_link_is_refused_and_the_file_it_names_is_left_byte_for_byte()
        {
            string path = _folder.File("x.json");
            File.WriteAllText(path, "{\"n\":1}\n");
            File.CreateSymbolicLink(path + ".lock", _victim);

            var error = Assert.Throws<UnsafePathException>(() =>
                new LockedFileUpdater().Update(path, current => Encoding.UTF8.GetBytes("{\"n\":2}\n")));

            Assert.Equal(path + ".lock", error.Path);
            Assert.Contains("symbolic link", error.Message);
            Assert.Contains(_victim, error.Message);
            Assert.Contains("nothing was changed", error.Message);
            AssertVictimUntouched();
            Assert.Equal("{\"n\":1}\n", File.ReadAllText(path));
            AssertIsLinkTo(path + ".lock", _victim);
        }

        [Fact]
        public void A_dangling_lock_link_is_refused_and_nothing_is_created_where_it_points()
        {
            string path = _folder.File("STATE.md");
            File.WriteAllText(path, "Status: running\n");
            string planted = _outside.File("cron-job");
            File.CreateSymbolicLink(path + ".lock", planted);

            Assert.Throws<UnsafePathException>(() => new MarkdownFieldFile().Set(path, "Status", "complete"));

            Assert.False(File.Exists(planted));
            Assert.Equal("Status: running\n", File.ReadAllText(path));
        }

        [Fact]
        public void A_lock_file_that_is_a_hard_link_to_another_file_is_refused()
        {
            string path = _folder.File("x.json");
            File.WriteAllText(path, "{\"n\":1}\n");
            Unix.Run("ln", _victim, path + ".lock");

            var error = Assert.Throws<UnsafePathException>(() =>
                new LockedFileUpdater().Update(path, current => Encoding.UTF8.GetBytes("{\"n\":2}\n")));

            Assert.Contains("2 hard links", error.Message);
            Assert.Equal(VictimText, File.ReadAllText(_victim));
            Assert.Equal("{\"n\":1}\n", File.ReadAllText(path));
        }

        [Fact]
        public void A_lock_file_that_is_a_named_pipe_is_refused_without_hanging()
        {
            string path = _folder.File("x.json");
            File.WriteAllText(path, "{\"n\":1}\n");
            Unix.Run("mkfifo", path + ".lock");

            var error = Assert.Throws<UnsafePathException>(() =>
                new LockedFileUpdater().Update(path, current => Encoding.UTF8.GetBytes("{\"n\":2}\n")));

            Assert.Contains("named pipe", error.Message);
            Assert.Equal("{\"n\":1}\n", File.ReadAllText(path));
        }

        [Fact]
        public void A_lock_link_in_the_agent_store_is_refused_for_every_change()
        {
            var store = new AgentStateStore(_folder.Path, TimeSpan.FromSeconds(5));
            store.Create(new AgentStateDraft("L2.2.1", "Engineer", "L2") { Status = AgentStatus.Running });
            string file = store.PathFor("L2.2.1");
            byte[] before = File.ReadAllBytes(file);
            File.Delete(file + ".lock");
            File.CreateSymbolicLink(file + ".lock", _victim);

            Assert.Throws<UnsafePathException>(() => store.Update("L2.2.1", new AgentStateChange { Progress = 40 }));
            Assert.Throws<UnsafePathException>(() => store.Remove("L2.2.1"));
            Assert.Throws<UnsafePathException>(() => store.Create(new AgentStateDraft("L2.2.1", "Other", "L2"), overwrite: true));

            AssertVictimUntouched();
            Assert.Equal(before, File.ReadAllBytes(file));
        }

        [Fact]
        public void A_state_file_that_is_a_link_is_never_written_read_or_deleted_through()
        {
            var store = new AgentStateStore(_folder.Path, TimeSpan.FromSeconds(5));
            Directory.CreateDirectory(store.StateFolder);
            string file = store.PathFor("L2.2.1");
            File.CreateSymbolicLink(file, _victim);

            var overwrite = Assert.Throws<UnsafePathException>(() => store.Create(new AgentStateDraft("L2.2.1", "Engineer", "L2"), overwrite: true));
            Assert.Equal(file, overwrite.Path);
            var update = Assert.Throws<AgentStateCorruptException>(() => store.Update("L2.2.1", new AgentStateChange { Progress = 40 }));
            Assert.Contains("symbolic link", update.Message);
            Assert.Throws<AgentStateCorruptException>(() => store.TryGet("L2.2.1"));
            Assert.Throws<UnsafePathException>(() => store.Remove("L2.2.1"));

            AgentStateEntry listed = Assert.Single(store.Scan());
            Assert.Null(listed.Record);
            Assert.Contains("symbolic link", listed.Corruption!.Message);

            AssertVictimUntouched();
            AssertIsLinkTo(file, _victim);
        }

        [Fact]
        public void A_state_file_swapped_for_a_link_between_two_operations_is_refused()
        {
            var store = new AgentStateStore(_folder.Path, TimeSpan.FromSeconds(5));
            store.Create(new AgentStateDraft("L2.2.1", "Engineer", "L2") { Status = AgentStatus.Running });
            string file = store.PathFor("L2.2.1");
            File.Copy(file, _victim, overwrite: true);
            byte[] victim = File.ReadAllBytes(_victim);
            File.Delete(file);
            File.CreateSymbolicLink(file, _victim);

            Assert.Throws<AgentStateCorruptException>(() => store.Update("L2.2.1", new AgentStateChange { Status = AgentStatus.Failed, Force = true }));
            Assert.Throws<UnsafePathException>(() => store.Remove("L2.2.1", record => true));

            Assert.Equal(victim, File.ReadAllBytes(_victim));
            AssertIsLinkTo(file, _victim);
        }

        [Fact]
        public void Removing_a_listed_link_by_path_removes_the_link_never_the_file_it_names()
        {
            var store = new AgentStateStore(_folder.Path, TimeSpan.FromSeconds(5));
            Directory.CreateDirectory(store.StateFolder);
            string file = store.PathFor("planted");
            File.CreateSymbolicLink(file, _victim);

            Assert.True(store.RemoveFile(file));

            Assert.False(PlainFile.Exists(file));
            AssertVictimUntouched();
        }

        [Fact]
        public void A_state_folder_that_is_a_link_is_refused_and_nothing_lands_where_it_points()
        {
            Directory.CreateSymbolicLink(Path.Combine(_folder.Path, AgentStateStore.StateFolderName), _outside.Path);
            var store = new AgentStateStore(_folder.Path, TimeSpan.FromSeconds(5));

            var error = Assert.Throws<UnsafePathException>(() => store.Create(new AgentStateDraft("a1", "Engineer", "L2")));
            Assert.Equal("state folder", error.Role);
            Assert.Throws<UnsafePathException>(() => store.Scan().ToList());

            AssertVictimUntouched();
        }

        [Fact]
        public void A_trajectory_lock_link_is_refused_and_the_stream_is_not_appended()
        {
            string path;
            using (TrajectoryWriter writer = TrajectoryWriter.Start(new TrajectoryStart(_folder.Path, "MechaCoder", "2.0") { SessionId = "s1" }))
            {
                path = writer.Path;
            }

            byte[] before = File.ReadAllBytes(path);
            File.Delete(path + ".lock");
            File.CreateSymbolicLink(path + ".lock", _victim);

            Assert.Throws<UnsafePathException>(() => TrajectoryWriter.Open(path));

            AssertVictimUntouched();
            Assert.Equal(before, File.ReadAllBytes(path));
        }

        [Fact]
        public void A_trajectory_stream_swapped_for_a_link_is_refused_for_append_and_listed_as_corrupt()
        {
            string path;
            using (TrajectoryWriter writer = TrajectoryWriter.Start(new TrajectoryStart(_folder.Path, "MechaCoder", "2.0") { SessionId = "s1" }))
            {
                path = writer.Path;
            }

            File.Copy(path, _victim, overwrite: true);
            byte[] victim = File.ReadAllBytes(_victim);
            File.Delete(path);
            File.CreateSymbolicLink(path, _victim);

            var error = Assert.Throws<UnsafePathException>(() => TrajectoryWriter.Open(path));
            Assert.Equal("trajectory", error.Role);
            var listed = Assert.Throws<TrajectoryCorruptException>(() => TrajectorySummary.Inspect(path));
            Assert.Contains("symbolic link", listed.Message);
            Assert.Throws<UnsafePathException>(() => TrajectoryLineReader.Read(path).ToList());

            Assert.Equal(victim, File.ReadAllBytes(_victim));
        }

        [Fact]
        public void A_trajectory_cannot_be_started_over_a_planted_link()
        {
            string folder = Path.Combine(_folder.Path, DateTimeOffset.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            string planted = _outside.File("dangling");
            File.CreateSymbolicLink(Path.Combine(folder, "s1.atif.jsonl"), planted);

            // The listing sees the name taken; the create itself (O_EXCL) would refuse to follow the link too.
            Assert.Throws<TrajectoryExistsException>(() =>
                TrajectoryWriter.Start(new TrajectoryStart(_folder.Path, "MechaCoder", "2.0") { SessionId = "s1" }).Dispose());

            Assert.False(File.Exists(planted));
        }

        [Fact]
        public void A_trajectory_date_folder_that_is_a_link_is_refused()
        {
            string folder = Path.Combine(_folder.Path, DateTimeOffset.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateSymbolicLink(folder, _outside.Path);

            var error = Assert.Throws<UnsafePathException>(() =>
                TrajectoryWriter.Start(new TrajectoryStart(_folder.Path, "MechaCoder", "2.0") { SessionId = "s1" }).Dispose());

            Assert.Equal("trajectory folder", error.Role);
            AssertVictimUntouched();
        }

        [Fact]
        public void A_dangling_torn_link_is_left_alone_and_the_tail_goes_to_the_next_name()
        {
            string path;
            using (TrajectoryWriter writer = TrajectoryWriter.Start(new TrajectoryStart(_folder.Path, "MechaCoder", "2.0") { SessionId = "s1" }))
            {
                path = writer.Path;
            }

            File.AppendAllText(path, "{\"step_id\":1,\"sour");
            string planted = _outside.File("cron-job");
            File.CreateSymbolicLink(path + ".torn", planted);

            using (TrajectoryWriter reopened = TrajectoryWriter.Open(path))
            {
                Assert.Equal(path + ".torn.1", reopened.TornPath);
            }

            Assert.False(File.Exists(planted));
            Assert.Equal("{\"step_id\":1,\"sour", File.ReadAllText(path + ".torn.1"));
            AssertIsLinkTo(path + ".torn", planted);
        }

        [Fact]
        public void A_quarantine_folder_planted_as_a_link_is_refused_and_nothing_leaves_the_tree()
        {
            string target = _folder.File("state.json");
            File.WriteAllText(target, "{\"v\":1}");
            string temp = target + ".tmp.999999.abcdef1234";
            File.WriteAllText(temp, "{\"v\":");
            Directory.CreateSymbolicLink(_folder.File(OrphanedTempScanner.QuarantineFolderName), _outside.Path);

            var recovery = new TempFileRecovery();
            TempRecoveryStep step = Assert.Single(recovery.Plan(new OrphanedTempScanner(null, _ => false).Scan(target)));
            Assert.Equal(TempRecoveryAction.Quarantined, step.Action);

            var error = Assert.Throws<UnsafePathException>(() => recovery.Execute(step));

            Assert.Equal("quarantine folder", error.Role);
            Assert.Equal("{\"v\":", File.ReadAllText(temp));
            AssertVictimUntouched();
        }

        [Fact]
        public void A_pinned_folder_receives_the_move_even_after_a_link_replaces_its_name()
        {
            string quarantine = _folder.File("q");
            Directory.CreateDirectory(quarantine);
            string file = _folder.File("a.tmp.1");
            File.WriteAllText(file, "kept");

            using (PinnedFolder pinned = NativePlatform.Current.OpenPlainFolder(quarantine, "quarantine folder"))
            {
                Directory.Move(quarantine, _folder.File("q-moved"));
                Directory.CreateSymbolicLink(quarantine, _outside.Path);

                Assert.True(pinned.MoveInto(file, "a.tmp.1"));
                File.WriteAllText(_folder.File("b"), "other");
                Assert.False(pinned.MoveInto(_folder.File("b"), "a.tmp.1"));
            }

            Assert.Equal("kept", File.ReadAllText(Path.Combine(_folder.File("q-moved"), "a.tmp.1")));
            Assert.Equal("other", File.ReadAllText(_folder.File("b")));
            AssertVictimUntouched();
        }

        [Fact]
        public void A_temp_that_is_a_link_is_judged_invalid_without_being_read_and_never_promoted()
        {
            string target = _folder.File("agent-history.json");
            File.WriteAllText(target, "{\"v\":1}");
            File.SetLastWriteTimeUtc(target, DateTime.UtcNow.AddHours(-1));
            File.WriteAllText(_victim, "{\"v\":\"planted\"}");
            string temp = target + ".tmp.999999.abcdef1234";
            File.CreateSymbolicLink(temp, _victim);

            OrphanedTempFile orphan = Assert.Single(new OrphanedTempScanner(null, _ => false).Scan(target));
            Assert.False(orphan.IsValid);
            Assert.Contains("symbolic link", orphan.InvalidReason);

            var recovery = new TempFileRecovery();
            TempRecoveryStep step = Assert.Single(recovery.Plan(new[] { orphan }));
            Assert.Equal(TempRecoveryAction.Quarantined, step.Action);
            TempRecoveryStep done = recovery.Execute(step);

            Assert.Equal("{\"v\":1}", File.ReadAllText(target));
            Assert.Equal(_victim, new FileInfo(done.Destination!).LinkTarget);
            Assert.Equal("{\"v\":\"planted\"}", File.ReadAllText(_victim));
        }

        [Fact]
        public void Promoting_a_temp_swapped_for_a_link_after_it_was_judged_is_refused()
        {
            string target = _folder.File("STATE.md");
            File.WriteAllText(target, "Status: old\n");
            string temp = target + ".tmp.999999.abcdef1234";
            File.WriteAllText(temp, "Status: new\n");
            File.SetLastWriteTimeUtc(target, DateTime.UtcNow.AddHours(-1));
            var recovery = new TempFileRecovery();
            TempRecoveryStep step = Assert.Single(recovery.Plan(new OrphanedTempScanner(null, _ => false).Scan(target)));
            Assert.Equal(TempRecoveryAction.Promoted, step.Action);
            File.Delete(temp);
            File.CreateSymbolicLink(temp, _victim);

            var error = Assert.Throws<AtomicWriteException>(() => recovery.Execute(step));

            Assert.Equal(FailureReason.UnsafePath, error.Reason);
            Assert.Equal("Status: old\n", File.ReadAllText(target));
            Assert.False(new FileInfo(target).LinkTarget != null);
            AssertVictimUntouched();
        }

        [Fact]
        public void The_store_writer_refuses_a_link_while_a_user_named_link_is_still_written_through()
        {
            string link = _folder.File("chosen.json");
            File.CreateSymbolicLink(link, _victim);

            var refused = Assert.Throws<AtomicWriteException>(() =>
                new AtomicFileWriter().Write(link, Encoding.UTF8.GetBytes("{}"), new AtomicWriteOptions { FollowLinks = false }));
            Assert.Equal(FailureReason.UnsafePath, refused.Reason);
            AssertVictimUntouched();

            new AtomicFileWriter().Write(link, Encoding.UTF8.GetBytes("{\"chosen\":true}"));
            Assert.Equal("{\"chosen\":true}", File.ReadAllText(_victim));
            AssertIsLinkTo(link, _victim);
        }
    }
}
