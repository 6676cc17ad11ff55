using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Wine
{
    /// <summary>
    /// What only the Windows half of the platform seam does, run for real under Wine: share-mode locks and their owner
    /// note, MoveFileEx against a target another process holds, reserved device names, the handle checks on lock files.
    /// </summary>
    [Collection(WineCollection.Name)]
    public sealed class WindowsBehaviourTests : IDisposable
    {
        /// <summary>Why the reparse-point cases cannot hold under Wine: its behaviour, not the engine's.</summary>
        private const string WineHasNoReparsePoints =
            "Wine 8.0 cannot make a reparse point: CreateSymbolicLinkW is a stub (mklink creates nothing), and a Unix symbolic link "
            + "is shown as a plain file and followed even with FILE_FLAG_OPEN_REPARSE_POINT; only a real Windows machine tests this";

        private readonly TestFolder _folder = new TestFolder();

        public void Dispose() => _folder.Dispose();

        private string Win(string name) => WineCli.WindowsPath(_folder.File(name));

        [WineFact]
        public void Reserved_device_names_and_names_windows_would_change_are_refused_as_ids()
        {
            string root = WineCli.WindowsPath(_folder.Path);
            foreach (string id in new[] { "CON", "nul", "COM1", "LPT9", "aux.json", "agent.", "agent " })
            {
                var result = WineCli.Run("state", "new", id, "--name", "n", "--type", "L2", "--root", root);

                Assert.True(result.ExitCode == 2, $"'{id}': exit {result.ExitCode}, {result.StandardError}");
                Assert.Contains("is not a valid agent id", result.StandardError);
            }

            Assert.Empty(Directory.Exists(_folder.File("state")) ? Directory.GetFileSystemEntries(_folder.File("state")) : Array.Empty<string>());
        }

        [WineFact]
        public void Writing_to_a_device_name_fails_naming_it_and_creates_nothing()
        {
            var result = WineCli.Run(new[] { "write", "CON", "--value", "x" }, null, _folder.Path);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("CON", result.StandardError);
            Assert.Contains("The file is unchanged", result.StandardError);
            Assert.Empty(_folder.Leftovers());
        }

        [WineFact]
        public void Extended_length_and_unc_paths_are_written_through_and_named_as_given_in_messages()
        {
            string extended = @"\\?\" + Win("a.json");

            var written = WineCli.Run("write", extended, "--value", "{}");
            var noFolder = WineCli.Run("write", @"\\?\" + Win(@"missing/b.json"), "--value", "{}");
            var noShare = WineCli.Run("write", @"\\localhost\no-such-share\c.json", "--value", "{}");

            Assert.Equal(0, written.ExitCode);
            Assert.Equal("{}\n", File.ReadAllText(_folder.File("a.json")));
            Assert.Equal(1, noFolder.ExitCode);
            Assert.Contains(@"\\?\" + WineCli.WindowsPath(_folder.File("missing")) + "' does not exist", noFolder.StandardError);
            Assert.Equal(1, noShare.ExitCode);
            Assert.Contains(@"'\\localhost\no-such-share' does not exist", noShare.StandardError);
            Assert.Empty(_folder.Leftovers("a.json"));
        }

        [WineFact]
        public void A_replace_over_a_target_held_open_without_share_delete_retries_then_fails_leaving_both_files_as_they_were()
        {
            // The holder: a streaming write keeps its temp file open without FILE_SHARE_DELETE until its input ends.
            using Process holder = WineCli.Start(new[] { "write", Win("held.json") });
            holder.StandardInput.Write("{\"from\":\"holder\"}");
            holder.StandardInput.Flush();
            string held = WaitForSingle("held.json.tmp.*", holder);

            var replace = WineCli.Run("write", WineCli.WindowsPath(held), "--value", "{\"from\":\"replacer\"}");
            string[] during = _folder.Leftovers();

            holder.StandardInput.Close();
            Assert.True(holder.WaitForExit(120_000));
            Assert.Equal(1, replace.ExitCode);
            Assert.Contains("another process is using the file", replace.StandardError);
            Assert.Contains(WineCli.WindowsPath(held), replace.StandardError);
            Assert.Equal(new[] { Path.GetFileName(held) }, during); // the replacer's own temp is gone
            Assert.Equal(0, holder.ExitCode);
            Assert.Equal("{\"from\":\"holder\"}", File.ReadAllText(_folder.File("held.json")));
            Assert.Empty(_folder.Leftovers("held.json"));
        }

        [WineFact]
        public void A_second_writer_is_refused_naming_the_holder_from_its_lock_note_and_gets_the_lock_once_the_holder_is_killed()
        {
            var start = WineCli.Run("traj", "start", "--session-id", "locked", "--agent-name", "a", "--agent-version", "1", "--root", WineCli.WindowsPath(_folder.Path));
            string path = start.StandardOutput.Trim();
            string lockFile = Directory.GetFiles(_folder.Path, "locked.atif.jsonl", SearchOption.AllDirectories).Single() + ".lock";

            using Process holder = WineCli.Start(new[] { "traj", "add", "--path", path });
            holder.StandardInput.WriteLine("{\"source\":\"user\",\"message\":\"held\"}");
            holder.StandardInput.Flush();
            Assert.Equal("1", holder.StandardOutput.ReadLine()); // acknowledged: the holder has the lock
            string holderPid = File.ReadAllLines(lockFile)[0];

            var refused = WineCli.Run("traj", "add", "--path", path, "--source", "user", "--message", "second", "--lock-timeout", "1");
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
            var after = WineCli.Run("traj", "add", "--path", path, "--source", "user", "--message", "after");

            Assert.Equal(1, refused.ExitCode);
            Assert.Contains($"locked by process {holderPid}", refused.StandardError);
            Assert.Equal(0, after.ExitCode);
            Assert.Equal("2", after.StandardOutput.Trim());
        }

        [WineFact]
        public void Concurrent_updaters_in_separate_processes_lose_nothing()
        {
            const int Writers = 4;
            string counter = _folder.File("n.txt");
            File.WriteAllText(counter, "0\n");

            // cmd reads the number from standard input and prints it plus one: the read-modify-write under the lock.
            Task<CliProcess.Result>[] runs = Enumerable.Range(0, Writers)
                .Select(_ => Task.Run(() => WineCli.Run("update", Win("n.txt"), "--lock-timeout", "120", "--", "cmd", "/c", "set /p n= & set /a n+1 & echo.")))
                .ToArray();
            Task.WaitAll(runs);

            Assert.All(runs, r => Assert.Equal(0, r.Result.ExitCode));
            Assert.Equal(Writers, int.Parse(File.ReadAllText(counter).Trim(), System.Globalization.CultureInfo.InvariantCulture));
        }

        [WineFact]
        public void A_hard_link_at_a_lock_file_is_refused_and_nothing_is_written_into_it()
        {
            File.WriteAllText(_folder.File("STATE.md"), "Status: old\n");
            string victim = _folder.File("victim.txt");
            File.WriteAllText(victim, "secret\n");
            Unix.Run("ln", victim, _folder.File("STATE.md.lock"));

            var result = WineCli.Run("md-set", Win("STATE.md"), "Status", "new");

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("hard links", result.StandardError);
            Assert.Contains(Win("STATE.md.lock"), result.StandardError);
            Assert.Equal("secret\n", File.ReadAllText(victim));
            Assert.Equal("Status: old\n", File.ReadAllText(_folder.File("STATE.md")));
        }

        [Fact(Skip = WineHasNoReparsePoints)]
        public void A_symbolic_link_planted_at_a_lock_file_is_refused_and_nothing_is_written_into_it()
        {
            File.WriteAllText(_folder.File("STATE.md"), "Status: old\n");
            string victim = _folder.File("victim.txt");
            File.WriteAllText(victim, "secret\n");
            File.CreateSymbolicLink(_folder.File("STATE.md.lock"), victim);

            var result = WineCli.Run("md-set", Win("STATE.md"), "Status", "new");

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("symbolic link", result.StandardError);
            Assert.Equal("secret\n", File.ReadAllText(victim));
        }

        [Fact(Skip = WineHasNoReparsePoints)]
        public void A_write_through_a_symbolic_link_replaces_the_file_it_names_and_keeps_the_link()
        {
            string real = _folder.File("real.json");
            File.WriteAllText(real, "{}");
            File.CreateSymbolicLink(_folder.File("link.json"), real);

            var result = WineCli.Run("write", Win("link.json"), "--value", "{\"v\":2}");

            Assert.Equal(0, result.ExitCode);
            Assert.Equal("{\"v\":2}\n", File.ReadAllText(real));
            Assert.NotNull(new FileInfo(_folder.File("link.json")).LinkTarget);
        }

        [WineFact]
        public void A_writer_killed_mid_write_leaves_the_target_whole_and_restore_removes_its_temp()
        {
            string target = _folder.File("a.json");
            File.WriteAllText(target, "{\"v\":1}");
            using Process writer = WineCli.Start(new[] { "write", Win("a.json") });
            writer.StandardInput.Write("{\"v\":");
            writer.StandardInput.Flush();
            string temp = WaitForSingle("a.json.tmp.*", writer);

            writer.Kill(entireProcessTree: true);
            writer.WaitForExit();
            var restore = WineCli.Run("temp", "restore", WineCli.WindowsPath(_folder.Path));

            Assert.Equal("{\"v\":1}", File.ReadAllText(target));
            Assert.Equal(0, restore.ExitCode);
            Assert.False(File.Exists(temp), "the dead writer's temp file is still there: " + restore.StandardOutput);
            Assert.Equal("{\"v\":1}", File.ReadAllText(target));
        }

        /// <summary>The one file matching <paramref name="pattern"/> once <paramref name="process"/> has created it.</summary>
        private string WaitForSingle(string pattern, Process process)
        {
            var waited = Stopwatch.StartNew();
            while (true)
            {
                string[] found = Directory.GetFiles(_folder.Path, pattern);
                if (found.Length == 1)
                {
                    return found[0];
                }

                if (process.HasExited || waited.Elapsed > TimeSpan.FromMinutes(2))
                {
                    throw new InvalidOperationException($"no {pattern} appeared: {process.StandardError.ReadToEnd()}");
                }

                System.Threading.Thread.Sleep(20); // polling for the file, not a guess at how long anything takes
            }
        }
    }
}
