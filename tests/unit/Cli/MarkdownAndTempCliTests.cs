using System;
using System.IO;
using System.Text.Json;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Cli
{
    public sealed class MarkdownAndTempCliTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();
        private readonly int _dead = Processes.DeadPid();

        public void Dispose() => _folder.Dispose();

        [Fact]
        public void Md_set_writes_the_value_literally_and_keeps_crlf()
        {
            string path = _folder.File("STATE.md");
            File.WriteAllText(path, "Phase: 1\r\nStatus: old\r\n");

            var result = CliProcess.Run("md-set", path, "Status", @"a/b & \1 $HOME");

            Assert.Equal(0, result.ExitCode);
            Assert.Equal("Phase: 1\r\nStatus: a/b & \\1 $HOME\r\n", File.ReadAllText(path));
        }

        [Fact]
        public void Md_set_reports_a_missing_field_and_adds_it_when_asked()
        {
            string path = _folder.File("STATE.md");
            File.WriteAllText(path, "Phase: 1\n");

            var missing = CliProcess.Run("md-set", path, "Blocker", "none");
            var added = CliProcess.Run("md-set", path, "Blocker", "none", "--add-if-missing");

            Assert.Equal(1, missing.ExitCode);
            Assert.Contains("Blocker", missing.StandardError);
            Assert.Equal(0, added.ExitCode);
            Assert.Equal("Phase: 1\nBlocker: none\n", File.ReadAllText(path));
        }

        [Fact]
        public void Md_set_refuses_a_line_break_in_the_value_as_a_usage_error()
        {
            string path = _folder.File("STATE.md");
            File.WriteAllText(path, "Status: old\n");

            var result = CliProcess.Run("md-set", path, "Status", "two\nlines");

            Assert.Equal(2, result.ExitCode);
            Assert.Equal("Status: old\n", File.ReadAllText(path));
        }

        [Fact]
        public void Temp_list_prints_json_that_names_every_orphan()
        {
            string target = _folder.File("a.json");
            File.WriteAllText(target, "{}");
            File.WriteAllText($"{target}.tmp.{_dead}.k1", "{\"v\":1}");
            File.WriteAllText($"{target}.tmp.{_dead}", "{broken");

            var result = CliProcess.Run("temp", "list", _folder.Path, "--json");

            Assert.Equal(0, result.ExitCode);
            var items = JsonDocument.Parse(result.StandardOutput).RootElement;
            Assert.Equal(2, items.GetArrayLength());
            Assert.Contains(items.EnumerateArray(), i => i.GetProperty("seed_name").GetBoolean() && !i.GetProperty("valid").GetBoolean());
            Assert.All(items.EnumerateArray(), i => Assert.Equal(target, i.GetProperty("target").GetString()));
            Assert.All(items.EnumerateArray(), i => Assert.Equal(_dead, i.GetProperty("writer_pid").GetInt32()));
        }

        [Fact]
        public void Temp_restore_dry_run_prints_the_plan_and_changes_nothing_then_restore_acts()
        {
            string target = _folder.File("a.json");
            File.WriteAllText(target, "{\"v\":1}");
            File.SetLastWriteTimeUtc(target, DateTime.UtcNow.AddMinutes(-10));
            string temp = $"{target}.tmp.{_dead}.k1";
            File.WriteAllText(temp, "{\"v\":2}");

            var dry = CliProcess.Run("temp", "restore", target, "--dry-run");
            Assert.Equal(0, dry.ExitCode);
            Assert.Contains("would promote " + temp, dry.StandardOutput);
            Assert.True(File.Exists(temp));
            Assert.Equal("{\"v\":1}", File.ReadAllText(target));

            var done = CliProcess.Run("temp", "restore", target);
            Assert.Equal(0, done.ExitCode);
            Assert.Contains("promoted " + temp, done.StandardOutput);
            Assert.Equal("{\"v\":2}", File.ReadAllText(target));
            Assert.False(File.Exists(temp));
        }

        [Fact]
        public void Temp_list_of_a_missing_folder_fails_with_exit_1()
        {
            var result = CliProcess.Run("temp", "list", Path.Combine(_folder.Path, "nope", "x.json"));

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("does not exist", result.StandardError);
        }

        [Fact]
        public void Temp_restore_never_rolls_back_a_valid_target_with_its_only_older_temp()
        {
            string target = _folder.File("agent-history.json");
            File.WriteAllText(target, "{\"v\":3}");
            string temp = target + ".tmp.999999.abcdef1234";
            File.WriteAllText(temp, "{\"v\":2}");
            File.SetLastWriteTimeUtc(temp, DateTime.UtcNow.AddMinutes(-20));
            File.SetLastWriteTimeUtc(target, DateTime.UtcNow.AddMinutes(-10));

            var result = CliProcess.Run("temp", "restore", _folder.Path);

            Assert.Equal(0, result.ExitCode);
            Assert.Contains("roll the file back", result.StandardOutput);
            Assert.Equal("{\"v\":3}", File.ReadAllText(target));
            Assert.False(File.Exists(temp));
        }
    }
}
