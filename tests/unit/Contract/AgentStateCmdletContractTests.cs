using System.Linq;
using Xunit;

namespace AgentState.Tests.Contract
{
    /// <summary>The signatures the state manager issue declares.</summary>
    public sealed class AgentStateCmdletContractTests
    {
        [Theory]
        [InlineData("New-AgentState")]
        [InlineData("Get-AgentState")]
        [InlineData("Set-AgentState")]
        [InlineData("Remove-AgentState")]
        [InlineData("Get-IncompleteAgent")]
        [InlineData("Get-AgentRecoverySummary")]
        [InlineData("Remove-StaleAgentState")]
        public void Every_state_cmdlet_takes_a_root(string name)
        {
            DeclaredParameter root = CmdletContract.Get(name).Parameter("Root");

            Assert.Equal("String", root.TypeName);
            Assert.All(root.Sets, s => Assert.False(s.Mandatory));
        }

        [Fact]
        public void New_AgentState_needs_an_id_a_name_and_a_type()
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get("New-AgentState");

            Assert.True(cmdlet.Parameter("AgentId").In("__AllParameterSets") is { Mandatory: true, Position: 0 });
            Assert.True(cmdlet.Parameter("Name").Sets.Single().Mandatory);
            Assert.True(cmdlet.Parameter("Type").Sets.Single().Mandatory);
            Assert.Equal("AgentStatus", cmdlet.Parameter("Status").TypeName);
            Assert.Equal("PSObject", cmdlet.Parameter("Metadata").TypeName);
            Assert.Equal("Int32", cmdlet.Parameter("ProcessId").TypeName);
            Assert.True(cmdlet.SupportsShouldProcess);
        }

        [Fact]
        public void Get_AgentState_filters_by_wildcard_id_status_and_type()
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get("Get-AgentState");

            Assert.True(cmdlet.Parameter("AgentId").SupportsWildcards);
            Assert.True(cmdlet.Parameter("AgentId").Sets.Single() is { Position: 0, Mandatory: false, FromPipeline: true });
            Assert.Equal("AgentStatus[]", cmdlet.Parameter("Status").TypeName);
            Assert.Equal("String[]", cmdlet.Parameter("Type").TypeName);
            Assert.Equal(new[] { "AgentState.Agents.AgentStateRecord" }, cmdlet.OutputTypes);
        }

        [Fact]
        public void Set_AgentState_takes_the_id_and_root_from_piped_records()
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get("Set-AgentState");

            Assert.True(cmdlet.Parameter("AgentId").Sets.Single().FromPipelineByPropertyName);
            Assert.True(cmdlet.Parameter("Root").Sets.Single().FromPipelineByPropertyName);
            foreach (string name in new[] { "Status", "Progress", "Message", "ErrorMessage", "ProcessId", "Metadata", "Force", "PassThru" })
            {
                Assert.NotNull(cmdlet.Parameter(name));
            }
        }

        [Fact]
        public void Remove_AgentState_removes_by_id_status_or_path_at_medium_impact()
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get("Remove-AgentState");

            Assert.Equal(new[] { "AgentId", "Path", "Status" }, cmdlet.ParameterSets);
            Assert.Equal("AgentId", cmdlet.DefaultSet);
            Assert.True(cmdlet.SupportsShouldProcess);
            Assert.Equal("Medium", cmdlet.ConfirmImpact);
            Assert.True(cmdlet.Parameter("AgentId").Sets.Single() is { FromPipeline: true, FromPipelineByPropertyName: true, Mandatory: true });
            Assert.True(cmdlet.Parameter("Status").Sets.Single().Mandatory);
            Assert.Equal("SwitchParameter", cmdlet.Parameter("Force").TypeName);
        }

        [Fact]
        public void Remove_StaleAgentState_keeps_seven_days_by_default_and_never_prompts_by_default()
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get("Remove-StaleAgentState");

            Assert.Equal("Medium", cmdlet.ConfirmImpact);
            Assert.Equal("Double", cmdlet.Parameter("KeepDays").TypeName);
            Assert.Equal("TimeSpan", cmdlet.Parameter("OlderThan").TypeName);
            Assert.Equal("KeepDays", cmdlet.DefaultSet);
        }

        [Fact]
        public void The_readers_declare_their_output()
        {
            Assert.Equal(new[] { "AgentState.Agents.IncompleteAgent" }, CmdletContract.Get("Get-IncompleteAgent").OutputTypes);
            Assert.Equal("TimeSpan", CmdletContract.Get("Get-IncompleteAgent").Parameter("StaleAfter").TypeName);
            Assert.Equal(new[] { "AgentState.Agents.AgentRecoverySummary" }, CmdletContract.Get("Get-AgentRecoverySummary").OutputTypes);
        }
    }
}
