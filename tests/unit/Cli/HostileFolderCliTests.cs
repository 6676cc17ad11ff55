using System;
using System.IO;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Cli
{
    /// <summary>
    /// The reproductions, through the agentstate process: links planted in a folder the operator's tools
    /// work in never redirect a write, a move or a delete, and the command says so and fails.
    /// </summary>
    public sealed class HostileFolderCliTests : IDisposable
    {
        private const string VictimText = "root:secret:19000:0:99999:7:::\n";
        private readonly TestFolder _folder = new TestFolder();
        private readonly TestFolder _outside = new TestFolder();
        private readonly string _victim;

        public HostileFolderCliTests()
        {
            _victim = _outside.File("victim");
            File.WriteAllText(_victim, VictimText);
        }

        public void Dispose()
        {
            _folder.Dispose();
            _outside.Dispose();
        }

        private void AssertRefused(CliProcess.Result result, string path)
        {
            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"'{path}'", result.StandardError);
            Assert.Contains("symbolic link", result.StandardError);
            Assert.Equal(VictimText, File.ReadAllText(_victim));
            Assert.Equal(new[] { "victim" }, _outside.Leftovers());
        }

        [Fact]
        public void Update_with_a_planted_lock_link_fails_and_leaves_the_linked_file_byte_for_byte()
        {
            string path = _folder.File("x.json");
            File.WriteAllText(path, "{\"n\":1}\n");
            File.CreateSymbolicLink(path + ".lock", _victim);

            var result = CliProcess.Run(new[] { "update", path, "--", "sh", "-c", "cat >/dev/null; echo '{\"n\":2}'" }, null);

            AssertRefused(result, path + ".lock");
            Assert.Equal("{\"n\":1}\n", File.ReadAllText(path));
            Assert.Equal(_victim, new FileInfo(path + ".lock").LinkTarget);
        }

        [Fact]
        public void Md_set_with_a_planted_lock_link_fails_and_changes_nothing()
        {
            string path = _folder.File("STATE.md");
            File.WriteAllText(path, "Status: running\n");
            File.CreateSymbolicLink(path + ".lock", _victim);

            var result = CliProcess.Run("md-set", path, "Status", "complete");

            AssertRefused(result, path + ".lock");
            Assert.Equal("Status: running\n", File.ReadAllText(path));
        }

        [Fact]
        public void State_set_and_new_force_refuse_links_in_the_store()
        {
            string root = _folder.Path;
            Assert.Equal(0, CliProcess.Run("state", "new", "L2.2.1", "--name", "Engineer", "--type", "L2", "--root", root).ExitCode);
            string file = Path.Combine(root, "state", "L2.2.1.json");
            byte[] before = File.ReadAllBytes(file);
            File.Delete(file + ".lock");
            File.CreateSymbolicLink(file + ".lock", _victim);

            AssertRefused(CliProcess.Run("state", "set", "L2.2.1", "--progress", "40", "--root", root), file + ".lock");
            Assert.Equal(before, File.ReadAllBytes(file));

            File.Delete(file + ".lock");
            File.Delete(file);
            File.CreateSymbolicLink(file, _victim);

            AssertRefused(CliProcess.Run("state", "new", "L2.2.1", "--name", "Engineer", "--type", "L2", "--force", "--root", root), file);
            AssertRefused(CliProcess.Run("state", "set", "L2.2.1", "--progress", "40", "--root", root), file);
            AssertRefused(CliProcess.Run("recover", "clear", "--agent-id", "L2.2.1", "--yes", "--root", root), file);
            Assert.Equal(_victim, new FileInfo(file).LinkTarget);
        }

        [Fact]
        public void Recover_check_reports_a_planted_state_link_as_corrupt()
        {
            Directory.CreateDirectory(Path.Combine(_folder.Path, "state"));
            string file = Path.Combine(_folder.Path, "state", "planted.json");
            File.CreateSymbolicLink(file, _victim);

            var result = CliProcess.Run("recover", "check", "--root", _folder.Path);

            Assert.Contains(file, result.StandardOutput + result.StandardError);
            Assert.Equal(VictimText, File.ReadAllText(_victim));
            Assert.Equal(_victim, new FileInfo(file).LinkTarget);
        }

        [Fact]
        public void Traj_add_with_a_planted_lock_link_fails_and_appends_nothing()
        {
            var started = CliProcess.Run("traj", "start", "--session-id", "s1", "--agent-name", "a", "--agent-version", "1", "--root", _folder.Path);
            Assert.Equal(0, started.ExitCode);
            string path = started.StandardOutput.Trim();
            byte[] before = File.ReadAllBytes(path);
            File.Delete(path + ".lock");
            File.CreateSymbolicLink(path + ".lock", _victim);

            var result = CliProcess.Run("traj", "add", "--path", path, "--source", "user", "--message", "hello");

            AssertRefused(result, path + ".lock");
            Assert.Equal(before, File.ReadAllBytes(path));
        }

        [Fact]
        public void Temp_restore_refuses_a_planted_quarantine_link_and_moves_nothing_out_of_the_tree()
        {
            string target = _folder.File("state.json");
            File.WriteAllText(target, "{\"v\":1}");
            string temp = target + ".tmp.999999.abcdef1234";
            File.WriteAllText(temp, "{\"v\":");
            string quarantine = _folder.File(".agentstate-quarantine");
            Directory.CreateSymbolicLink(quarantine, _outside.Path);

            var result = CliProcess.Run("temp", "restore", _folder.Path);

            AssertRefused(result, quarantine);
            Assert.Equal("{\"v\":", File.ReadAllText(temp));
            Assert.Equal("{\"v\":1}", File.ReadAllText(target));
        }
    }
}
