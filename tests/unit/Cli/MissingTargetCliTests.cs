using System;
using System.IO;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Cli
{
    /// <summary>
    /// A wrong path fails: exit 1 and one line on stderr naming the path and the reason, so that a cron job
    /// notices, and nothing is left behind (no folder, no history, no lock file).
    /// </summary>
    public sealed class MissingTargetCliTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();

        public void Dispose() => _folder.Dispose();

        private string Missing => _folder.File("nothere");

        private void AssertFailsNaming(CliProcess.Result result, string path, string reason)
        {
            Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}; stdout: {result.StandardOutput}; stderr: {result.StandardError}");
            string line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(path, line);
            Assert.Contains(reason, line);
            Assert.DoesNotContain("Total Agents", result.StandardOutput);
            Assert.Empty(_folder.Leftovers());
        }

        [Theory]
        [InlineData("recover", "check")]
        [InlineData("recover", "list")]
        [InlineData("recover", "clear")]
        [InlineData("state", "cleanup")]
        public void A_state_command_on_a_missing_root_fails(string group, string command)
        {
            AssertFailsNaming(CliProcess.Run(group, command, "--root", Missing), Missing, "does not exist");
        }

        [Fact]
        public void Listing_trajectories_under_a_missing_root_fails()
        {
            AssertFailsNaming(CliProcess.Run("traj", "list", "--root", Missing), Missing, "does not exist");
        }

        [Fact]
        public void Looking_for_temp_files_of_a_missing_path_fails()
        {
            AssertFailsNaming(CliProcess.Run("temp", "list", Missing), Missing, "no such file or folder");
            AssertFailsNaming(CliProcess.Run("temp", "restore", Missing), Missing, "no such file or folder");
        }

        [Fact]
        public void Rebuilding_the_history_of_a_missing_folder_or_one_without_summaries_fails_and_writes_nothing()
        {
            AssertFailsNaming(CliProcess.Run("history", "rebuild", Missing), Missing, "does not exist");
            AssertFailsNaming(CliProcess.Run("history", "rebuild", _folder.Path, "--force"), _folder.Path, "SUMMARY.md");
        }

        [Fact]
        public void Updating_a_missing_file_fails_and_leaves_no_lock_file()
        {
            string file = Path.Combine(Missing, "new.json");

            AssertFailsNaming(CliProcess.Run("update", file, "--", "cat"), file, "does not exist");
            AssertFailsNaming(CliProcess.Run("md-set", _folder.File("STATE.md"), "Status", "done"), _folder.File("STATE.md"), "does not exist");
        }
    }
}
