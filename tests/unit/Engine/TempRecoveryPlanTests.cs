using System;
using System.IO;
using System.Linq;
using AgentState.IO;
using AgentState.Recovery;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>The exact plans, reasons, orders and verdicts of temp-file recovery, case by case.</summary>
    public sealed class TempRecoveryPlanTests : IDisposable
    {
        private static readonly DateTime T0 = new DateTime(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);
        private readonly TestFolder _folder = new TestFolder();
        private readonly int _dead = Processes.DeadPid();

        public void Dispose() => _folder.Dispose();

        private string Target(string name, string content, DateTime written)
        {
            string path = _folder.File(name);
            File.WriteAllText(path, content);
            File.SetLastWriteTimeUtc(path, written);
            return path;
        }

        private string Temp(string target, string content, DateTime written, string random = "abcdef1234")
        {
            string path = $"{target}.tmp.{_dead}.{random}";
            File.WriteAllText(path, content);
            File.SetLastWriteTimeUtc(path, written);
            return path;
        }

        private static TempRecoveryStep[] Plan(string path, bool recurse = false) =>
            new TempFileRecovery().Plan(new OrphanedTempScanner(null, _ => false).Scan(path, recurse)).ToArray();

        [Theory]
        [InlineData(500, "500 milliseconds")]
        [InlineData(1000, "1 second")]
        [InlineData(1500, "1.5 seconds")]
        [InlineData(59_000, "59 seconds")]
        [InlineData(119_000, "1 minute and 59 seconds")]
        [InlineData(120_000, "2 minutes")]
        [InlineData(273_906_000, "3 days and 4 hours")]
        public void A_promotion_says_how_much_newer_the_temp_is(int milliseconds, string said)
        {
            string target = Target("a.json", "{\"v\":1}", T0);
            Temp(target, "{\"v\":2}", T0.AddMilliseconds(milliseconds));

            TempRecoveryStep step = Assert.Single(Plan(target));

            Assert.Equal(TempRecoveryAction.Promoted, step.Action);
            Assert.Equal($"the newest valid temp, written {said} after the target", step.Reason);
        }

        [Theory]
        [InlineData(5_004_000, "500 milliseconds")]
        [InlineData(5_009_000, "500 milliseconds")]
        [InlineData(12_600_000, "1.2 seconds")]
        [InlineData(12_000_000, "1.2 seconds")]
        public void A_promotion_cuts_the_difference_to_whole_milliseconds_or_tenths_of_a_second(long ticks, string said)
        {
            string target = Target("a.json", "{\"v\":1}", T0);
            Temp(target, "{\"v\":2}", T0.AddTicks(ticks));

            TempRecoveryStep step = Assert.Single(Plan(target));

            Assert.Equal($"the newest valid temp, written {said} after the target", step.Reason);
        }

        [Fact]
        public void A_temp_as_old_as_the_valid_target_is_not_newer_and_is_removed()
        {
            string target = Target("a.json", "{\"v\":1}", T0);
            string temp = Temp(target, "{\"v\":2}", T0);

            TempRecoveryStep step = Assert.Single(Plan(target));

            Assert.False(step.Orphan.NewerThanTarget);
            Assert.Equal(TempRecoveryAction.RemovedStale, step.Action);
            Assert.Equal("not newer than the valid target: promoting it would roll the file back", step.Reason);
            Assert.Equal(temp, step.TempFile);
            Assert.Equal(target, step.Target);
            Assert.Null(step.Destination);
        }

        [Fact]
        public void Of_two_valid_temps_written_at_the_same_moment_the_later_name_wins_and_the_other_is_named_as_older()
        {
            string target = Target("a.json", "{\"v\":1}", T0);
            string first = Temp(target, "{\"v\":2}", T0.AddMinutes(1), random: "aaaaaaaaaa");
            string second = Temp(target, "{\"v\":3}", T0.AddMinutes(1), random: "bbbbbbbbbb");

            TempRecoveryStep[] steps = Plan(target);

            Assert.Equal(new[] { TempRecoveryAction.Promoted, TempRecoveryAction.RemovedStale }, steps.Select(s => s.Action));
            Assert.Equal(second, steps[0].TempFile);
            Assert.Equal(first, steps[1].TempFile);
            Assert.Equal($"older than the promoted '{Path.GetFileName(second)}'", steps[1].Reason);
        }

        [Fact]
        public void The_promotion_is_planned_first_and_the_rest_keep_their_order()
        {
            string target = Target("a.json", "{\"v\":1}", T0);
            string Made(int pid, string content, DateTime written)
            {
                string path = $"{target}.tmp.{pid}.k";
                File.WriteAllText(path, content);
                File.SetLastWriteTimeUtc(path, written);
                return path;
            }

            string invalid = Made(11, "{", T0.AddMinutes(3));
            string live = Made(22, "{\"v\":9}", T0.AddMinutes(2));
            string stale = Made(33, "{\"v\":0}", T0.AddMinutes(-1));
            string newest = Made(44, "{\"v\":2}", T0.AddMinutes(1));

            var scanner = new OrphanedTempScanner(null, pid => pid == 22);
            TempRecoveryStep[] steps = new TempFileRecovery().Plan(scanner.Scan(target)).ToArray();

            Assert.Equal(new[] { newest, invalid, live, stale }, steps.Select(s => s.TempFile));
            Assert.Equal(
                new[] { TempRecoveryAction.Promoted, TempRecoveryAction.Quarantined, TempRecoveryAction.SkippedLiveWriter, TempRecoveryAction.RemovedStale },
                steps.Select(s => s.Action));
            Assert.Equal($"older than the promoted '{Path.GetFileName(newest)}'", steps[3].Reason);
        }

        [Fact]
        public void A_missing_target_is_said_to_be_missing_and_an_invalid_one_says_why()
        {
            string missing = _folder.File("missing.json");
            Temp(missing, "{\"v\":1}", T0);
            string broken = Target("broken.txt", "", T0.AddDays(1));
            Temp(broken, "text", T0);

            Assert.Equal("the newest valid temp, and the target is missing", Assert.Single(Plan(missing)).Reason);
            Assert.Equal("the newest valid temp, and the target is invalid (the file is empty)", Assert.Single(Plan(broken)).Reason);
        }

        [Fact]
        public void An_invalid_temp_is_quarantined_beside_earlier_ones_under_the_next_free_name()
        {
            string target = Target("a.json", "{\"v\":1}", T0);
            var recovery = new TempFileRecovery();
            string quarantine = Path.Combine(_folder.Path, OrphanedTempScanner.QuarantineFolderName);
            string name = $"a.json.tmp.{_dead}.abcdef1234";

            for (int round = 0; round < 3; round++)
            {
                Temp(target, "{\"round\":" + round, T0.AddMinutes(1));
                TempRecoveryStep step = recovery.Execute(Assert.Single(recovery.Plan(new OrphanedTempScanner(null, _ => false).Scan(target))));
                Assert.Equal(TempRecoveryAction.Quarantined, step.Action);
                Assert.Equal(Path.Combine(quarantine, round == 0 ? name : name + "." + round), step.Destination);
            }

            Assert.Equal("{\"round\":0", File.ReadAllText(Path.Combine(quarantine, name)));
            Assert.Equal("{\"round\":1", File.ReadAllText(Path.Combine(quarantine, name + ".1")));
            Assert.Equal("{\"round\":2", File.ReadAllText(Path.Combine(quarantine, name + ".2")));
            Assert.Equal("{\"v\":1}", File.ReadAllText(target));
            Assert.Equal(new[] { OrphanedTempScanner.QuarantineFolderName, "a.json" }, _folder.Leftovers());
        }

        [Fact]
        public void The_recoverys_own_validator_judges_the_target()
        {
            ContentValidator signed = (file, _) => File.ReadAllText(file).EndsWith("SIGNED") ? ContentVerdict.Valid : ContentVerdict.Invalid("no signature");
            string target = Target("notes.txt", "old, unsigned", T0);
            string temp = Temp(target, "new SIGNED", T0.AddMinutes(-5));

            TempRecoveryStep[] defaultPlan = new TempFileRecovery(null).Plan(new OrphanedTempScanner(signed, _ => false).Scan(target)).ToArray();
            var signedRecovery = new TempFileRecovery(signed);
            TempRecoveryStep step = Assert.Single(signedRecovery.Plan(new OrphanedTempScanner(signed, _ => false).Scan(target)));

            Assert.Equal(TempRecoveryAction.RemovedStale, Assert.Single(defaultPlan).Action);
            Assert.Equal(TempRecoveryAction.Promoted, step.Action);
            Assert.Equal("the newest valid temp, and the target is invalid (no signature)", step.Reason);
            signedRecovery.Execute(step);
            Assert.Equal("new SIGNED", File.ReadAllText(target));
            Assert.False(File.Exists(temp));
        }

        [Fact]
        public void A_skipped_step_executes_as_itself_and_touches_nothing()
        {
            string target = Target("a.json", "{\"v\":1}", T0);
            string live = $"{target}.tmp.{Environment.ProcessId}.abcdef1234";
            File.WriteAllText(live, "{\"v\":9}");
            var recovery = new TempFileRecovery();
            TempRecoveryStep step = Assert.Single(recovery.Plan(new OrphanedTempScanner(null, pid => pid == Environment.ProcessId).Scan(target)));

            Assert.Same(step, recovery.Execute(step));
            Assert.Equal("{\"v\":9}", File.ReadAllText(live));
            Assert.Equal("{\"v\":1}", File.ReadAllText(target));
        }

        [Fact]
        public void A_folder_scan_lists_by_target_then_temp_and_subfolders_in_name_order_after_their_parent()
        {
            Directory.CreateDirectory(_folder.File("b"));
            Directory.CreateDirectory(_folder.File("a"));
            Directory.CreateDirectory(Path.Combine(_folder.Path, "a", "c"));
            string[] made =
            {
                _folder.File($"z.json.tmp.{_dead}.bbbb"),
                _folder.File($"z.json.tmp.{_dead}.aaaa"),
                _folder.File($"m.json.tmp.{_dead}.zzzz"),
                Path.Combine(_folder.Path, "b", $"x.json.tmp.{_dead}.k"),
                Path.Combine(_folder.Path, "a", $"y.json.tmp.{_dead}.k"),
                Path.Combine(_folder.Path, "a", "c", $"w.json.tmp.{_dead}.k"),
            };
            foreach (string file in made)
            {
                File.WriteAllText(file, "{}");
            }

            string[] found = new OrphanedTempScanner(null, _ => false).Scan(_folder.Path, recurse: true).Select(o => o.TempPath).ToArray();

            Assert.Equal(new[] { made[2], made[1], made[0], made[4], made[5], made[3] }, found);
        }

        [Fact]
        public void A_recursive_scan_does_not_follow_a_link_to_a_folder()
        {
            using var outside = new TestFolder();
            File.WriteAllText(Path.Combine(outside.Path, $"o.json.tmp.{_dead}.k"), "{}");
            Directory.CreateSymbolicLink(_folder.File("elsewhere"), outside.Path);
            Directory.CreateSymbolicLink(_folder.File("loop"), _folder.Path);
            string mine = _folder.File($"m.json.tmp.{_dead}.k");
            File.WriteAllText(mine, "{}");

            Assert.Equal(new[] { mine }, new OrphanedTempScanner(null, _ => false).Scan(_folder.Path, recurse: true).Select(o => o.TempPath));
        }

        [Fact]
        public void A_target_scan_skips_temps_of_a_longer_name_that_starts_the_same()
        {
            string target = Target("a.json", "{}", T0);
            File.WriteAllText($"{target}.tmp.5.tmp.{_dead}.abc", "{}");
            string own = Temp(target, "{}", T0);

            Assert.Equal(new[] { own }, new OrphanedTempScanner(null, _ => false).Scan(target).Select(o => o.TempPath));
            Assert.Equal(2, new OrphanedTempScanner(null, _ => false).Scan(_folder.Path).Count());
        }

        [Fact]
        public void An_orphan_of_a_missing_target_has_no_target_time_and_knows_its_writer()
        {
            string missing = _folder.File("gone.json");
            Temp(missing, "{}", T0);

            OrphanedTempFile orphan = Assert.Single(new OrphanedTempScanner(null, pid => pid == _dead).Scan(missing));

            Assert.False(orphan.TargetExists);
            Assert.Null(orphan.TargetLastWriteTimeUtc);
            Assert.True(orphan.NewerThanTarget);
            Assert.True(orphan.WriterAlive);
            Assert.Equal(_dead, orphan.WriterProcessId);
            Assert.Null(orphan.InvalidReason);
        }

        [Fact]
        public void Scanning_under_a_missing_folder_names_the_folder()
        {
            string path = Path.Combine(_folder.Path, "no", "such.json");

            var error = Assert.Throws<DirectoryNotFoundException>(() => new OrphanedTempScanner().Scan(path));

            Assert.Equal($"Cannot look for temp files of '{path}': the folder '{Path.Combine(_folder.Path, "no")}' does not exist.", error.Message);
        }

        [Fact]
        public void Null_collaborators_are_refused()
        {
            Assert.Equal("processExists", Assert.Throws<ArgumentNullException>(() => new OrphanedTempScanner(null, null!)).ParamName);
            Assert.Equal("writer", Assert.Throws<ArgumentNullException>(() => new TempFileRecovery(null, null!)).ParamName);
        }

        [Theory]
        [InlineData("x.json", "", false, "the file is empty")]
        [InlineData("x.JSON", "{\"a\":", false, "not valid JSON: ")]
        [InlineData("x.Json", " {\"a\":1} ", true, null)]
        [InlineData("x.txt", "{", true, null)]
        [InlineData("x.JSONL", "{\"a\":1}\nnope\n", false, "line 2 is not valid JSON: ")]
        [InlineData("x.jsonl", " \t\r\n\r\n", false, "it has no complete line")]
        [InlineData("x.jsonl", "\n \t\r\n{\"a\":1}\r\n\t\n", true, null)]
        [InlineData("x.jsonl", "{\"a\":1}\n{\"torn\":", true, null)]
        [InlineData("x.jsonl", "{\"torn\":", false, "it has no complete line")]
        public void The_default_validator_judges_by_the_targets_extension(string targetName, string content, bool valid, string? reasonStart)
        {
            string file = _folder.File("content");
            File.WriteAllText(file, content);

            ContentVerdict verdict = DefaultContentValidator.Check(file, _folder.File(targetName));

            Assert.Equal(valid, verdict.IsValid);
            if (reasonStart == null)
            {
                Assert.Null(verdict.Reason);
            }
            else
            {
                Assert.StartsWith(reasonStart, verdict.Reason);
                Assert.True(reasonStart.EndsWith(": ") ? verdict.Reason!.Length > reasonStart.Length : verdict.Reason == reasonStart, verdict.Reason);
            }
        }

        [Fact]
        public void A_file_that_cannot_be_read_is_invalid_and_says_why()
        {
            string missing = _folder.File("vanished.json.tmp.1.a");

            ContentVerdict verdict = DefaultContentValidator.Check(missing, _folder.File("vanished.json"));

            Assert.False(verdict.IsValid);
            Assert.StartsWith("it cannot be read: ", verdict.Reason);
            Assert.Contains("vanished.json.tmp.1.a", verdict.Reason);
        }
    }
}
