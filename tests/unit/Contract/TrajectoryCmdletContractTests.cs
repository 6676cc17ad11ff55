using System.Linq;
using Xunit;

namespace AgentState.Tests.Contract
{
    /// <summary>The signatures the trajectory issue declares.</summary>
    public sealed class TrajectoryCmdletContractTests
    {
        [Fact]
        public void Start_Trajectory_needs_an_agent_and_returns_a_writer()
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get("Start-Trajectory");

            Assert.True(cmdlet.Parameter("SessionId").Sets.Single() is { Position: 0, Mandatory: false });
            Assert.True(cmdlet.Parameter("AgentName").Sets.Single().Mandatory);
            Assert.True(cmdlet.Parameter("AgentVersion").Sets.Single().Mandatory);
            Assert.Contains("ATIF-v1.4", cmdlet.Parameter("SchemaVersion").ValidateSet);
            Assert.Equal("PSObject", cmdlet.Parameter("Extra").TypeName);
            Assert.Equal(new[] { "AgentState.Trajectories.TrajectoryWriter" }, cmdlet.OutputTypes);
        }

        [Fact]
        public void Add_TrajectoryStep_takes_a_writer_a_path_or_a_session_and_fields_or_whole_steps()
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get("Add-TrajectoryStep");

            Assert.Equal(new[] { "PathFields", "PathObject", "SessionFields", "SessionObject", "WriterFields", "WriterObject" }, cmdlet.ParameterSets);
            Assert.All(cmdlet.Parameter("InputObject").Sets, s => Assert.True(s.FromPipeline && s.Mandatory));
            Assert.Equal(new[] { "agent", "system", "user" }, cmdlet.Parameter("Source").ValidateSet.OrderBy(s => s));
            Assert.Equal("PSObject[]", cmdlet.Parameter("ToolCall").TypeName);
            foreach (string name in new[] { "Observation", "Metrics", "Extra" })
            {
                Assert.Equal("PSObject", cmdlet.Parameter(name).TypeName);
            }

            Assert.Equal("StepDurability", cmdlet.Parameter("Durability").TypeName);
            Assert.True(cmdlet.SupportsShouldProcess);
        }

        [Fact]
        public void Complete_Trajectory_takes_a_piped_writer_and_a_status()
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get("Complete-Trajectory");

            Assert.True(cmdlet.Parameter("Writer").Sets.Single() is { FromPipeline: true, Position: 0 });
            Assert.Equal(new[] { "Completed", "Failed" }, cmdlet.Parameter("Status").ValidateSet);
            Assert.Equal("PSObject", cmdlet.Parameter("FinalMetrics").TypeName);
        }

        [Theory]
        [InlineData("Get-TrajectoryStep")]
        [InlineData("Watch-Trajectory")]
        [InlineData("Export-Trajectory")]
        [InlineData("Repair-Trajectory")]
        public void The_readers_take_a_path_a_literal_path_or_a_session(string name)
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get(name);

            Assert.Equal(new[] { "LiteralPath", "Path", "SessionId" }, cmdlet.ParameterSets);
            Assert.Equal("Path", cmdlet.DefaultSet);
            Assert.True(cmdlet.Parameter("Path").SupportsWildcards);
            Assert.Equal(new[] { "PSPath", "LP" }, cmdlet.Parameter("LiteralPath").Aliases);
        }

        [Fact]
        public void Get_Trajectory_filters_by_session_wildcards_and_status()
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get("Get-Trajectory");

            Assert.Equal("SessionId", cmdlet.DefaultSet);
            Assert.True(cmdlet.Parameter("SessionId").SupportsWildcards);
            Assert.Equal("TrajectoryStatus[]", cmdlet.Parameter("Status").TypeName);
            Assert.Equal(new[] { "AgentState.Trajectories.TrajectorySummary" }, cmdlet.OutputTypes);
        }

        [Fact]
        public void The_step_readers_page_and_filter_and_watch_times_out()
        {
            Assert.Equal("Int64", CmdletContract.Get("Get-TrajectoryStep").Parameter("First").TypeName);
            Assert.Equal("Int64", CmdletContract.Get("Get-TrajectoryStep").Parameter("Skip").TypeName);
            Assert.Equal("TimeSpan", CmdletContract.Get("Watch-Trajectory").Parameter("Timeout").TypeName);
            Assert.Equal("SwitchParameter", CmdletContract.Get("Watch-Trajectory").Parameter("FromStart").TypeName);
            Assert.Equal("SwitchParameter", CmdletContract.Get("Repair-Trajectory").Parameter("MarkFailed").TypeName);
            Assert.True(CmdletContract.Get("Repair-Trajectory").SupportsShouldProcess);
            Assert.True(CmdletContract.Get("Export-Trajectory").SupportsShouldProcess);
        }
    }
}
