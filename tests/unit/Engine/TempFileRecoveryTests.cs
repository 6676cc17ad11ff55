using System;
using System.IO;
using System.Linq;
using AgentState.IO;
using AgentState.Recovery;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    public sealed class TempFileRecoveryTests : IDisposable
    {
        private static readonly DateTime T0 = new DateTime(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);
        private readonly TestFolder _folder = new TestFolder();
        private readonly int _dead = Processes.DeadPid();

        public void Dispose() => _folder.Dispose();

        private string Target(string name, string? content, DateTime? written = null)
        {
            string path = _folder.File(name);
            if (content != null)
            {
                File.WriteAllText(path, content);
                File.SetLastWriteTimeUtc(path, written ?? T0);
            }

            return path;
        }

        private string Temp(string target, string content, DateTime written, int? pid = null, string random = "abcdef1234")
        {
            string path = $"{target}.tmp.{pid ?? _dead}" + (random.Length > 0 ? "." + random : "");
            File.WriteAllText(path, content);
            File.SetLastWriteTimeUtc(path, written);
            return path;
        }

        private TempRecoveryStep[] Restore(string path, bool removeInvalid = false, Func<int, bool>? alive = null, bool recurse = false)
        {
            var scanner = new OrphanedTempScanner(null, alive ?? (pid => pid == Environment.ProcessId));
            var recovery = new TempFileRecovery();
            return recovery.Plan(scanner.Scan(path, recurse), removeInvalid).Select(recovery.Execute).ToArray();
        }

        [Fact]
        public void A_newer_valid_temp_is_promoted_over_the_target()
        {
            string target = Target("agent-history.json", "{\"v\":1}");
            string temp = Temp(target, "{\"v\":2}", T0.AddMinutes(5));

            TempRecoveryStep step = Assert.Single(Restore(target));

            Assert.Equal(TempRecoveryAction.Promoted, step.Action);
            Assert.Equal("the newest valid temp, written 5 minutes after the target", step.Reason);
            Assert.Equal("{\"v\":2}", File.ReadAllText(target));
            Assert.False(File.Exists(temp));
        }

        [Fact]
        public void A_temp_older_than_a_valid_target_is_removed_never_promoted()
        {
            string target = Target("agent-history.json", "{\"v\":3}");
            string temp = Temp(target, "{\"v\":2}", T0.AddMinutes(-5));

            TempRecoveryStep step = Assert.Single(Restore(target));

            Assert.Equal(TempRecoveryAction.RemovedStale, step.Action);
            Assert.Contains("roll the file back", step.Reason);
            Assert.Equal("{\"v\":3}", File.ReadAllText(target));
            Assert.False(File.Exists(temp));
        }

        [Fact]
        public void An_invalid_temp_is_quarantined_not_deleted()
        {
            string target = Target("state.json", "{\"v\":1}");
            string temp = Temp(target, "{\"v\":", T0.AddMinutes(5));

            TempRecoveryStep step = Assert.Single(Restore(target));

            Assert.Equal(TempRecoveryAction.Quarantined, step.Action);
            Assert.Contains("not valid JSON", step.Reason);
            Assert.Equal(Path.Combine(_folder.Path, ".agentstate-quarantine", Path.GetFileName(temp)), step.Destination);
            Assert.Equal("{\"v\":", File.ReadAllText(step.Destination!));
            Assert.False(File.Exists(temp));
            Assert.Equal("{\"v\":1}", File.ReadAllText(target));
        }

        [Fact]
        public void An_invalid_temp_is_removed_when_asked()
        {
            string target = Target("state.json", "{\"v\":1}");
            string temp = Temp(target, "", T0.AddMinutes(5));

            TempRecoveryStep step = Assert.Single(Restore(target, removeInvalid: true));

            Assert.Equal(TempRecoveryAction.Removed, step.Action);
            Assert.Contains("empty", step.Reason);
            Assert.False(File.Exists(temp));
            Assert.False(Directory.Exists(Path.Combine(_folder.Path, ".agentstate-quarantine")));
        }

        [Fact]
        public void A_live_writers_temp_is_never_touched()
        {
            string target = Target("state.json", "{\"v\":1}");
            string mine = Temp(target, "{\"v\":9}", T0.AddMinutes(5), pid: Environment.ProcessId);

            TempRecoveryStep step = Assert.Single(Restore(target));

            Assert.Equal(TempRecoveryAction.SkippedLiveWriter, step.Action);
            Assert.Contains($"process {Environment.ProcessId}", step.Reason);
            Assert.Equal("{\"v\":9}", File.ReadAllText(mine));
            Assert.Equal("{\"v\":1}", File.ReadAllText(target));
        }

        [Fact]
        public void The_seeds_tmp_pid_names_are_found_and_handled()
        {
            string target = Target("STATE.md", "Status: old\n");
            string seedTemp = Temp(target, "Status: new\n", T0.AddMinutes(1), random: "");

            OrphanedTempFile orphan = Assert.Single(new OrphanedTempScanner().Scan(target));
            Assert.True(orphan.IsSeedName);
            Assert.Equal(_dead, orphan.WriterProcessId);
            Assert.False(orphan.WriterAlive);

            Assert.Equal(TempRecoveryAction.Promoted, Assert.Single(Restore(target)).Action);
            Assert.Equal("Status: new\n", File.ReadAllText(target));
            Assert.False(File.Exists(seedTemp));
        }

        [Fact]
        public void The_newest_of_several_valid_temps_wins_and_the_rest_are_removed()
        {
            string target = Target("c.json", "{\"v\":1}");
            Temp(target, "{\"v\":2}", T0.AddMinutes(1), random: "aaaaaaaaaa");
            Temp(target, "{\"v\":4}", T0.AddMinutes(3), random: "bbbbbbbbbb");
            Temp(target, "{\"v\":3}", T0.AddMinutes(2), random: "cccccccccc");

            TempRecoveryStep[] steps = Restore(target);

            Assert.Equal(TempRecoveryAction.Promoted, steps[0].Action);
            Assert.EndsWith("bbbbbbbbbb", steps[0].TempFile);
            Assert.Equal(2, steps.Count(s => s.Action == TempRecoveryAction.RemovedStale));
            Assert.Equal("{\"v\":4}", File.ReadAllText(target));
            Assert.Empty(_folder.Leftovers("c.json"));
        }

        [Fact]
        public void A_missing_or_invalid_target_takes_a_valid_temp_whatever_its_age()
        {
            string missing = Target("missing.json", null);
            Temp(missing, "{\"v\":1}", T0.AddDays(-30));
            string broken = Target("broken.json", "{\"v\":", T0);
            Temp(broken, "{\"v\":2}", T0.AddDays(-30));

            TempRecoveryStep[] steps = Restore(_folder.Path);

            Assert.All(steps, s => Assert.Equal(TempRecoveryAction.Promoted, s.Action));
            Assert.Contains(steps, s => s.Reason.Contains("is missing"));
            Assert.Contains(steps, s => s.Reason.Contains("is invalid"));
            Assert.Equal("{\"v\":1}", File.ReadAllText(missing));
            Assert.Equal("{\"v\":2}", File.ReadAllText(broken));
        }

        [Fact]
        public void A_custom_validator_replaces_the_default()
        {
            string target = Target("notes.txt", "old");
            Temp(target, "new but unsigned", T0.AddMinutes(1));
            ContentValidator signed = (file, _) => File.ReadAllText(file).EndsWith("SIGNED") ? ContentVerdict.Valid : ContentVerdict.Invalid("no signature");

            var scanner = new OrphanedTempScanner(signed, _ => false);
            var recovery = new TempFileRecovery(signed);
            TempRecoveryStep step = recovery.Execute(Assert.Single(recovery.Plan(scanner.Scan(target))));

            Assert.Equal(TempRecoveryAction.Quarantined, step.Action);
            Assert.Equal("invalid: no signature", step.Reason);
            Assert.Equal("old", File.ReadAllText(target));
        }

        [Fact]
        public void Jsonl_temps_need_every_complete_line_valid_and_ignore_a_torn_tail()
        {
            string target = _folder.File("run.atif.jsonl");
            File.WriteAllText(target + ".tmp.1.a", "{\"a\":1}\n{\"b\":2}\n{\"torn\":");
            File.WriteAllText(target + ".tmp.1.b", "{\"a\":1}\nnot json\n{\"c\":3}\n");
            File.WriteAllText(target + ".tmp.1.c", "{\"only\":\"torn\"");

            Assert.True(DefaultContentValidator.Check(target + ".tmp.1.a", target).IsValid);
            Assert.Equal("line 2 is not valid JSON", DefaultContentValidator.Check(target + ".tmp.1.b", target).Reason!.Split(':')[0]);
            Assert.False(DefaultContentValidator.Check(target + ".tmp.1.c", target).IsValid);
        }

        [Fact]
        public void A_recursive_scan_of_a_thousand_files_finds_exactly_the_orphans()
        {
            var expected = new System.Collections.Generic.HashSet<string>();
            for (int i = 0; i < 1000; i++)
            {
                string folder = Path.Combine(_folder.Path, "d" + (i % 10), "e" + (i % 7));
                Directory.CreateDirectory(folder);
                string file = Path.Combine(folder, $"state-{i}.json");
                File.WriteAllText(file, "{}");
                if (i % 20 == 0)
                {
                    File.WriteAllText(file + $".tmp.{_dead}.x{i}", "{}");
                    expected.Add(file + $".tmp.{_dead}.x{i}");
                }
            }

            Directory.CreateDirectory(Path.Combine(_folder.Path, ".agentstate-quarantine"));
            File.WriteAllText(Path.Combine(_folder.Path, ".agentstate-quarantine", $"old.json.tmp.{_dead}.q"), "{");
            File.WriteAllText(_folder.File($"top.json.tmp.{_dead}.t"), "{}");

            var deep = new OrphanedTempScanner().Scan(_folder.Path, recurse: true).Select(o => o.TempPath).ToHashSet();
            var shallow = new OrphanedTempScanner().Scan(_folder.Path).Select(o => o.TempPath).ToArray();

            expected.Add(_folder.File($"top.json.tmp.{_dead}.t"));
            Assert.Equal(expected.OrderBy(x => x), deep.OrderBy(x => x));
            Assert.Equal(new[] { _folder.File($"top.json.tmp.{_dead}.t") }, shallow);
        }

        [Fact]
        public void The_scan_reports_size_time_writer_and_newness()
        {
            string target = Target("s.json", "{}");
            Temp(target, "{\"abc\":1}", T0.AddSeconds(30));

            OrphanedTempFile orphan = Assert.Single(new OrphanedTempScanner().Scan(target));

            Assert.Equal(target, orphan.TargetPath);
            Assert.Equal(9, orphan.Size);
            Assert.Equal(T0.AddSeconds(30), orphan.LastWriteTimeUtc);
            Assert.True(orphan.IsValid);
            Assert.True(orphan.NewerThanTarget);
            Assert.True(orphan.TargetExists);
            Assert.False(orphan.IsSeedName);
        }

        [Fact]
        public void Scanning_a_path_whose_folder_is_missing_is_an_error()
        {
            Assert.Throws<DirectoryNotFoundException>(() => new OrphanedTempScanner().Scan(Path.Combine(_folder.Path, "no", "such.json")).ToList());
        }

        [Fact]
        public void A_promotion_that_fails_leaves_the_target_and_the_temp()
        {
            string target = Target("p.json", "{\"v\":1}");
            string temp = Temp(target, "{\"v\":2}", T0.AddMinutes(1));
            var files = new FaultyFileOperations { FailOn = nameof(IFileOperations.Replace), Failure = FaultyFileOperations.Errno(30, "Read-only file system") };
            var recovery = new TempFileRecovery(null, new AtomicFileWriter(files));
            TempRecoveryStep plan = Assert.Single(recovery.Plan(new OrphanedTempScanner(null, _ => false).Scan(target)));

            var error = Assert.Throws<AtomicWriteException>(() => recovery.Execute(plan));

            Assert.Equal(FailureReason.ReadOnlyFileSystem, error.Reason);
            Assert.Equal("{\"v\":1}", File.ReadAllText(target));
            Assert.True(File.Exists(temp));
        }
    }
}
