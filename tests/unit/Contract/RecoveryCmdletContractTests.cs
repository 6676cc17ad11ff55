using System.Linq;
using Xunit;

namespace AgentState.Tests.Contract
{
    /// <summary>The signatures the recovery and read-modify-write issue declares.</summary>
    public sealed class RecoveryCmdletContractTests
    {
        [Theory]
        [InlineData("Get-OrphanedTempFile", "AgentState.Recovery.OrphanedTempFile", false)]
        [InlineData("Restore-FromTempFile", "AgentState.Recovery.TempRecoveryStep", true)]
        public void The_temp_cmdlets_take_paths_from_the_pipeline_and_recurse(string name, string output, bool changes)
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get(name);

            Assert.Equal(new[] { "LiteralPath", "Path" }, cmdlet.ParameterSets);
            Assert.Equal("Path", cmdlet.DefaultSet);
            Assert.Equal(changes, cmdlet.SupportsShouldProcess);
            Assert.Equal(new[] { output }, cmdlet.OutputTypes);
            var path = cmdlet.Parameter("Path").In("Path");
            Assert.True(path.Position == 0 && !path.Mandatory && path.FromPipeline && path.FromPipelineByPropertyName);
            Assert.True(cmdlet.Parameter("Path").SupportsWildcards);
            // An orphan piped in binds by its TargetPath; without it, it would bind by value to -Path as its ToString().
            Assert.Equal(new[] { "PSPath", "LP", "TargetPath" }, cmdlet.Parameter("LiteralPath").Aliases);
            Assert.Equal("SwitchParameter", cmdlet.Parameter("Recurse").TypeName);
            Assert.Equal("ScriptBlock", cmdlet.Parameter("Validator").TypeName);
        }

        [Fact]
        public void Restore_can_remove_invalid_temps()
        {
            Assert.Equal("SwitchParameter", CmdletContract.Get("Restore-FromTempFile").Parameter("RemoveInvalid").TypeName);
            Assert.Equal("Medium", CmdletContract.Get("Restore-FromTempFile").ConfirmImpact);
        }

        [Fact]
        public void Update_JsonFile_takes_a_path_and_a_script_block_by_position()
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get("Update-JsonFile");

            Assert.True(cmdlet.SupportsShouldProcess);
            Assert.Equal("String", cmdlet.Parameter("Path").TypeName);
            Assert.True(cmdlet.Parameter("Path").In("Path") is { Mandatory: true, Position: 0 });
            Assert.True(cmdlet.Parameter("ScriptBlock").In("Path") is { Mandatory: true, Position: 1 });
            Assert.Equal("ScriptBlock", cmdlet.Parameter("ScriptBlock").TypeName);
            Assert.Equal("Int32", cmdlet.Parameter("Depth").TypeName);
            Assert.Equal("TimeSpan", cmdlet.Parameter("LockTimeout").TypeName);
            foreach (string name in new[] { "Force", "PassThru" })
            {
                Assert.Equal("SwitchParameter", cmdlet.Parameter(name).TypeName);
            }
        }

        [Fact]
        public void Set_MarkdownField_needs_a_name_and_a_value()
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get("Set-MarkdownField");

            Assert.True(cmdlet.SupportsShouldProcess);
            Assert.True(cmdlet.Parameter("Name").Sets.All(s => s.Mandatory));
            Assert.True(cmdlet.Parameter("Value").Sets.All(s => s.Mandatory));
            Assert.Equal("SwitchParameter", cmdlet.Parameter("AddIfMissing").TypeName);
            Assert.Equal("TimeSpan", cmdlet.Parameter("LockTimeout").TypeName);
            Assert.Equal(new[] { "AgentState.Markdown.MarkdownFieldResult" }, cmdlet.OutputTypes);
        }
    }
}
