using System;
using System.IO;
using System.Text;
using System.Text.Json;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Wine
{
    /// <summary>
    /// The CLI's commands, exit codes and messages with the Windows half of the platform seam: agentstate.exe (win-x64)
    /// under Wine. Paths are given as Windows paths (Z:\...), as a Windows user would, and come back that way in messages.
    /// </summary>
    [Collection(WineCollection.Name)]
    public sealed class WineCliTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();

        public void Dispose() => _folder.Dispose();

        private string Win(string name) => WineCli.WindowsPath(_folder.File(name));

        [WineFact]
        public void Write_replaces_the_file_from_value_and_from_standard_input_byte_for_byte()
        {
            string target = _folder.File("a.json");
            byte[] input = Encoding.UTF8.GetBytes("{\"v\":\"é\"}\r\nline two\n");

            var fromValue = WineCli.Run("write", Win("a.json"), "--value", "first");
            string afterValue = File.ReadAllText(target);
            var fromStdin = WineCli.Run(new[] { "write", Win("a.json") }, input);

            Assert.Equal(0, fromValue.ExitCode);
            Assert.Equal("first\n", afterValue);
            Assert.Equal(0, fromStdin.ExitCode);
            Assert.Equal(input, File.ReadAllBytes(target));
            Assert.Empty(_folder.Leftovers("a.json"));
        }

        [WineFact]
        public void Write_refuses_invalid_json_and_a_missing_folder_with_exit_1_naming_the_file()
        {
            File.WriteAllText(_folder.File("a.json"), "{\"v\":1}");

            var invalid = WineCli.Run("write", Win("a.json"), "--value", "{broken", "--validate", "json");
            var noFolder = WineCli.Run("write", Win(@"missing/b.json"), "--value", "x");

            Assert.Equal(1, invalid.ExitCode);
            Assert.Contains(Win("a.json"), invalid.StandardError);
            Assert.Contains("not valid JSON", invalid.StandardError);
            Assert.Equal("{\"v\":1}", File.ReadAllText(_folder.File("a.json")));
            Assert.Equal(1, noFolder.ExitCode);
            Assert.Contains(WineCli.WindowsPath(_folder.File("missing")), noFolder.StandardError);
            Assert.Contains("does not exist", noFolder.StandardError);
            Assert.Empty(_folder.Leftovers("a.json"));
        }

        [WineFact]
        public void Update_replaces_the_file_with_the_commands_output_and_changes_nothing_when_it_prints_nothing()
        {
            string target = _folder.File("n.txt");
            File.WriteAllText(target, "41\n");

            // Wine's cmd stands in for jq, which a Windows program under Wine cannot start: it prints the number plus one.
            var added = WineCli.Run("update", Win("n.txt"), "--", "cmd", "/c", "set /p n= & set /a n+1 & echo.");
            string afterAdd = File.ReadAllText(target);
            var silent = WineCli.Run("update", Win("n.txt"), "--", "cmd", "/c", "rem");

            Assert.Equal(0, added.ExitCode);
            Assert.Equal("42", afterAdd.Trim());
            Assert.Equal(1, silent.ExitCode);
            Assert.Contains("printed nothing", silent.StandardError);
            Assert.Equal(afterAdd, File.ReadAllText(target));
        }

        [WineFact]
        public void Md_set_writes_the_value_literally_keeps_crlf_and_leaves_no_lock_for_a_missing_file()
        {
            File.WriteAllText(_folder.File("STATE.md"), "Phase: 1\r\nStatus: old\r\n");

            var set = WineCli.Run("md-set", Win("STATE.md"), "Status", @"a/b & \1 %PATH%");
            var missingField = WineCli.Run("md-set", Win("STATE.md"), "Blocker", "none");
            var missingFile = WineCli.Run("md-set", Win("nofile.md"), "Status", "x");

            Assert.Equal(0, set.ExitCode);
            Assert.Equal("Phase: 1\r\nStatus: a/b & \\1 %PATH%\r\n", File.ReadAllText(_folder.File("STATE.md")));
            Assert.Equal(1, missingField.ExitCode);
            Assert.Contains("Blocker", missingField.StandardError);
            Assert.Equal(1, missingFile.ExitCode);
            Assert.Contains("does not exist", missingFile.StandardError);
            Assert.False(File.Exists(_folder.File("nofile.md.lock")));
        }

        [WineFact]
        public void Temp_list_and_restore_promote_a_newer_valid_orphan_and_quarantine_an_invalid_one()
        {
            string target = _folder.File("a.json");
            File.WriteAllText(target, "{\"v\":1}");
            File.SetLastWriteTimeUtc(target, DateTime.UtcNow.AddMinutes(-10));
            int dead = Processes.DeadPid(); // No Windows process under Wine has so large an id either.
            File.WriteAllText($"{target}.tmp.{dead}.k1", "{\"v\":2}");
            File.WriteAllText(_folder.File("b.json"), "{}");
            File.WriteAllText(_folder.File($"b.json.tmp.{dead}.k2"), "{broken");

            var list = WineCli.Run("temp", "list", WineCli.WindowsPath(_folder.Path), "--json");
            var restore = WineCli.Run("temp", "restore", WineCli.WindowsPath(_folder.Path));

            Assert.Equal(0, list.ExitCode);
            JsonElement items = JsonDocument.Parse(list.StandardOutput).RootElement;
            Assert.Equal(2, items.GetArrayLength());
            Assert.Contains(items.EnumerateArray(), i => i.GetProperty("target").GetString() == Win("a.json") && i.GetProperty("valid").GetBoolean());
            Assert.Equal(0, restore.ExitCode);
            Assert.Equal("{\"v\":2}", File.ReadAllText(target));
            Assert.Equal("{}", File.ReadAllText(_folder.File("b.json")));
            Assert.Single(Directory.GetFiles(_folder.File(".agentstate-quarantine")));
            Assert.Empty(_folder.Leftovers("a.json", "b.json", ".agentstate-quarantine"));
        }

        [WineFact]
        public void State_new_set_get_and_the_error_exit_codes()
        {
            string root = WineCli.WindowsPath(_folder.Path);
            Assert.Equal(0, WineCli.Run("state", "new", "L2.TEST.1", "--name", "Test", "--type", "L2", "--status", "running", "--root", root).ExitCode);
            Assert.Equal(0, WineCli.Run("state", "set", "L2.TEST.1", "--progress", "50", "--status", "failed", "--error", "boom", "--root", root).ExitCode);

            var get = WineCli.Run("state", "get", "L2.TEST.1", "--root", root);
            var missing = WineCli.Run("state", "get", "L9.NONE", "--root", root);
            var usage = WineCli.Run("state", "set", "L2.TEST.1", "--progress", "lots", "--root", root);

            Assert.Equal(0, get.ExitCode);
            JsonElement state = JsonDocument.Parse(get.StandardOutput).RootElement;
            Assert.Equal("failed", state.GetProperty("status").GetString());
            Assert.Equal(50, state.GetProperty("progress").GetInt32());
            Assert.Equal(1, missing.ExitCode);
            Assert.Contains("L9.NONE", missing.StandardError);
            Assert.Equal(2, usage.ExitCode);
        }

        [WineFact]
        public void Run_exec_captures_a_crash_and_a_timeout_and_diagnose_names_the_windows_files()
        {
            string root = WineCli.WindowsPath(_folder.Path);
            Assert.Equal(0, WineCli.Run("run", "new", "w1", "--root", root).ExitCode);

            var crash = WineCli.Run("run", "exec", "w1", "-n", "1", "--root", root, "--", "cmd", "/c", "echo compiling& echo broken 1>&2& exit 3");
            var slow = WineCli.Run("run", "exec", "w1", "-n", "2", "--timeout", "3", "--root", root, "--", "cmd", "/c", "ping -n 600 127.0.0.1 >nul");
            var diagnose = WineCli.Run("run", "diagnose", "w1", "--iteration", "1", "--json", "--root", root);

            Assert.Equal(1, crash.ExitCode);
            Assert.Contains("AgentCrash: The agent exited with code 3.", crash.StandardError);
            Assert.Equal("compiling", File.ReadAllText(Path.Combine(_folder.Path, "w1", "agent-1.stdout.log")).Trim());
            Assert.Equal(1, slow.ExitCode);
            Assert.Contains("Timeout: The agent ran past its timeout of 3 s", slow.StandardError);
            Assert.Equal(0, diagnose.ExitCode);
            JsonElement d = JsonDocument.Parse(diagnose.StandardOutput).RootElement;
            Assert.Equal(("AgentCrash", 3), (d.GetProperty("errorType").GetString(), d.GetProperty("exitCode").GetInt32()));
            Assert.Equal("broken", d.GetProperty("stderrTail")[0].GetString()!.Trim());
            Assert.Equal(JsonValueKind.Null, d.GetProperty("signal").ValueKind);
            Assert.Equal(Win(@"w1\agent-1.stderr.log"), d.GetProperty("files")[0].GetString());
        }

        [WineFact]
        public void Recover_check_on_the_bundled_example_reports_what_the_readme_promises()
        {
            var result = WineCli.Run("recover", "check", "--root", WineCli.WindowsPath(Path.Combine(RepoPaths.Root, "examples", "agent-deployment")), "--json");

            Assert.Equal(0, result.ExitCode);
            JsonElement summary = JsonDocument.Parse(result.StandardOutput).RootElement;
            Assert.Equal(5, summary.GetProperty("total").GetInt32());
            Assert.Equal(3, summary.GetProperty("total_incomplete").GetInt32());
            Assert.Equal(1, summary.GetProperty("corrupt").GetInt32());
            Assert.Equal("L2.2.1", summary.GetProperty("oldest_incomplete").GetString());
        }

        [WineFact]
        public void Traj_start_add_complete_and_export_one_atif_document()
        {
            var start = WineCli.Run("traj", "start", "--session-id", "wine-1", "--agent-name", "a", "--agent-version", "1", "--root", WineCli.WindowsPath(_folder.Path));
            string path = start.StandardOutput.Trim();
            var add = WineCli.Run(new[] { "traj", "add", "--path", path }, Encoding.UTF8.GetBytes("{\"source\":\"user\",\"message\":\"one\"}\n{\"source\":\"agent\",\"message\":\"two\"}\n"));
            var complete = WineCli.Run("traj", "complete", "--path", path);
            var export = WineCli.Run("traj", "export", "--path", path, "-o", Win("run.json"));

            Assert.Equal(0, start.ExitCode);
            Assert.StartsWith(WineCli.WindowsPath(_folder.Path), path);
            Assert.Equal(0, add.ExitCode);
            Assert.Equal(new[] { "1", "2" }, add.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.Equal(0, complete.ExitCode);
            Assert.Equal(0, export.ExitCode);
            JsonElement document = JsonDocument.Parse(File.ReadAllText(_folder.File("run.json"))).RootElement;
            Assert.Equal("wine-1", document.GetProperty("session_id").GetString());
            Assert.Equal(2, document.GetProperty("steps").GetArrayLength());
        }
    }

    /// <summary>The Wine tests share one wineserver; run one at a time so that they do not also compete with each other for two cores.</summary>
    [CollectionDefinition(Name)]
    public sealed class WineCollection
    {
        public const string Name = "agentstate.exe under Wine";
    }
}
