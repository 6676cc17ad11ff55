using System.Linq;
using Xunit;

namespace AgentState.Tests.Contract
{
    /// <summary>
    /// How objects bind from the pipeline (issue 10): ids by value, this module's objects and FileInfo by property
    /// name, and no declaration that makes PowerShell bind an object as its ToString().
    /// </summary>
    public sealed class PipelineBindingContractTests
    {
        [Theory]
        [InlineData("Get-AgentState", "AgentId")]
        [InlineData("Set-AgentState", "AgentId")]
        [InlineData("Remove-AgentState", "AgentId")]
        [InlineData("Get-Trajectory", "SessionId")]
        [InlineData("Get-TrajectoryStep", "SessionId")]
        [InlineData("Watch-Trajectory", "SessionId")]
        [InlineData("Export-Trajectory", "SessionId")]
        [InlineData("Repair-Trajectory", "SessionId")]
        [InlineData("Complete-Trajectory", "SessionId")]
        public void An_id_is_taken_by_value_where_it_names_what_the_cmdlet_acts_on(string cmdlet, string parameter)
        {
            Assert.All(CmdletContract.Get(cmdlet).Parameter(parameter).Sets, s => Assert.True(s.FromPipeline, $"{cmdlet} -{parameter} in {s.Set}"));
        }

        [Theory]
        [InlineData("Get-AgentState", "AgentId", "AgentIdCompleter")]
        [InlineData("Set-AgentState", "AgentId", "AgentIdCompleter")]
        [InlineData("Remove-AgentState", "AgentId", "AgentIdCompleter")]
        [InlineData("Get-Trajectory", "SessionId", "SessionIdCompleter")]
        [InlineData("Get-TrajectoryStep", "SessionId", "SessionIdCompleter")]
        [InlineData("Watch-Trajectory", "SessionId", "SessionIdCompleter")]
        [InlineData("Export-Trajectory", "SessionId", "SessionIdCompleter")]
        [InlineData("Repair-Trajectory", "SessionId", "SessionIdCompleter")]
        [InlineData("Complete-Trajectory", "SessionId", "SessionIdCompleter")]
        [InlineData("Add-TrajectoryStep", "SessionId", "SessionIdCompleter")]
        public void An_id_of_something_that_exists_completes(string cmdlet, string parameter, string completer)
        {
            Assert.Equal(completer, CmdletContract.Get(cmdlet).Parameter(parameter).Completer);
        }

        [Fact]
        public void Update_JsonFile_takes_a_positional_script_block_with_piped_files()
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get("Update-JsonFile");

            // A pipeline-bound -Path at position 0 would take the script block as a delay-bind script block.
            Assert.True(cmdlet.Parameter("Path").In("Path") is { Position: 0, FromPipeline: false, FromPipelineByPropertyName: false });
            Assert.True(cmdlet.Parameter("ScriptBlock").In("Path") is { Position: 1, Mandatory: true });
            Assert.True(cmdlet.Parameter("ScriptBlock").In("LiteralPath") is { Position: 0, Mandatory: true });
            Assert.True(cmdlet.Parameter("LiteralPath").In("LiteralPath") is { FromPipelineByPropertyName: true, Position: null });
            Assert.Contains("PSPath", cmdlet.Parameter("LiteralPath").Aliases);
        }

        [Fact]
        public void Remove_AgentState_takes_a_file_through_PSPath_and_an_id_by_value()
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get("Remove-AgentState");
            DeclaredParameter path = cmdlet.Parameter("Path");

            Assert.Contains("PSPath", path.Aliases);
            Assert.True(path.In("Path") is { FromPipelineByPropertyName: true });
            // A second set that takes values keeps PowerShell from latching onto the -AgentId set before the first object.
            Assert.True(path.In("Path") is { FromPipeline: true });
            Assert.Equal("AgentId", cmdlet.DefaultSet);
        }

        [Theory]
        [InlineData("Get-TrajectoryStep")]
        [InlineData("Watch-Trajectory")]
        [InlineData("Export-Trajectory")]
        [InlineData("Repair-Trajectory")]
        public void A_trajectory_reader_takes_a_file_through_PSPath_and_a_summary_by_its_path(string name)
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get(name);

            Assert.True(cmdlet.Parameter("LiteralPath").In("LiteralPath").FromPipelineByPropertyName);
            Assert.Contains("PSPath", cmdlet.Parameter("LiteralPath").Aliases);
            // No set may have a mandatory parameter the pipeline cannot fill, or PowerShell latches onto -SessionId.
            Assert.All(cmdlet.Parameters.SelectMany(p => p.Sets.Where(s => s.Mandatory).Select(s => (p.Name, s))),
                m => Assert.True(m.s.FromPipeline || m.s.FromPipelineByPropertyName, $"{name} -{m.Name} is mandatory in {m.s.Set} but not from the pipeline"));
        }

        [Theory]
        [InlineData("Get-OrphanedTempFile")]
        [InlineData("Restore-FromTempFile")]
        public void The_temp_cmdlets_take_an_orphan_by_its_target_path(string name)
        {
            DeclaredParameter literal = CmdletContract.Get(name).Parameter("LiteralPath");

            Assert.Contains("TargetPath", literal.Aliases);
            Assert.True(literal.In("LiteralPath").FromPipelineByPropertyName);
        }

        [Theory]
        [InlineData("AgentState.Commands.AddTrajectoryStepCommand")]
        [InlineData("AgentState.Commands.WatchTrajectoryCommand")]
        public void A_cmdlet_that_holds_a_lock_or_handle_across_records_is_disposable(string typeName)
        {
            // PowerShell disposes an IDisposable cmdlet however its pipeline ends.
            System.Type type = CmdletContract.FindType(typeName)!;

            Assert.Contains(type.GetInterfaces(), i => i.FullName == "System.IDisposable");
        }

        [Fact]
        public void Export_Trajectory_creates_missing_folders_with_force()
        {
            Assert.Equal("SwitchParameter", CmdletContract.Get("Export-Trajectory").Parameter("Force").TypeName);
        }
    }
}
