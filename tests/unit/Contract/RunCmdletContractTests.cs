using System.Linq;
using Xunit;

namespace AgentState.Tests.Contract
{
    /// <summary>The signatures the run-store issue declares.</summary>
    public sealed class RunCmdletContractTests
    {
        public static TheoryData<string> Changers => new TheoryData<string>
        {
            "New-AgentRun", "Save-AgentRunResult", "Save-AgentRunVerification", "Save-AgentRunIteration", "Complete-AgentRun", "Invoke-AgentRunProcess",
        };

        [Theory]
        [MemberData(nameof(Changers))]
        public void Every_cmdlet_that_writes_into_a_run_supports_WhatIf_and_takes_a_run_and_root_by_property_name(string name)
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get(name);

            Assert.True(cmdlet.SupportsShouldProcess);
            Assert.True(cmdlet.Parameter("RunId").Sets.Single() is { Position: 0, FromPipelineByPropertyName: true });
            Assert.True(cmdlet.Parameter("Root").Sets.Single().FromPipelineByPropertyName);
        }

        [Theory]
        [InlineData("Save-AgentRunResult")]
        [InlineData("Save-AgentRunVerification")]
        [InlineData("Save-AgentRunIteration")]
        [InlineData("Invoke-AgentRunProcess")]
        public void The_savers_need_an_iteration_that_binds_by_name(string name)
        {
            Assert.True(CmdletContract.Get(name).Parameter("Iteration").Sets.Single() is { Position: 1, Mandatory: true, FromPipelineByPropertyName: true });
            Assert.Equal("Int32", CmdletContract.Get(name).Parameter("Iteration").TypeName);
        }

        [Theory]
        [InlineData("Save-AgentRunResult")]
        [InlineData("Save-AgentRunIteration")]
        [InlineData("Complete-AgentRun")]
        public void A_typed_error_is_given_by_type_message_and_file(string name)
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get(name);

            Assert.Equal("RunErrorType", cmdlet.Parameter("ErrorType").TypeName);
            Assert.Equal("String", cmdlet.Parameter("ErrorMessage").TypeName);
            Assert.Equal("String", cmdlet.Parameter("ErrorFile").TypeName);
        }

        [Fact]
        public void Get_AgentRun_pipes_into_the_diagnosis_and_the_events()
        {
            DeclaredCmdlet get = CmdletContract.Get("Get-AgentRun");
            Assert.True(get.Parameter("RunId").SupportsWildcards);
            Assert.Equal(new[] { "Cancelled", "Failed", "Interrupted", "Queued", "Running", "Succeeded" }, get.Parameter("State").ValidateSet.OrderBy(s => s));
            Assert.Equal("DateTime", get.Parameter("Since").TypeName);
            Assert.Equal(new[] { "AgentState.Runs.RunRecord" }, get.OutputTypes);
            Assert.False(get.SupportsShouldProcess);

            foreach (string reader in new[] { "Get-AgentRunDiagnosis", "Get-AgentRunEvent", "Complete-AgentRun" })
            {
                Assert.True(CmdletContract.Get(reader).Parameter("RunId").Sets.Single() is { FromPipeline: true, FromPipelineByPropertyName: true }, reader);
            }

            Assert.Equal(new[] { "AgentState.Runs.RunDiagnosis" }, CmdletContract.Get("Get-AgentRunDiagnosis").OutputTypes);
            Assert.True(CmdletContract.Get("Get-AgentRunDiagnosis").Parameter("Iteration").Sets.Single().FromPipelineByPropertyName);
        }

        [Fact]
        public void Invoke_AgentRunProcess_takes_a_program_its_arguments_environment_and_timeout()
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get("Invoke-AgentRunProcess");

            Assert.True(cmdlet.Parameter("FilePath").Sets.Single() is { Position: 2, Mandatory: true });
            Assert.Equal("String[]", cmdlet.Parameter("ArgumentList").TypeName);
            Assert.Equal("Hashtable", cmdlet.Parameter("Environment").TypeName);
            Assert.Equal("TimeSpan", cmdlet.Parameter("Timeout").TypeName);
            Assert.Equal(new[] { "AgentState.Runs.AgentResultRecord" }, cmdlet.OutputTypes);
        }

        [Fact]
        public void Get_AgentRunEvent_waits_with_a_timeout()
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get("Get-AgentRunEvent");

            Assert.Equal("SwitchParameter", cmdlet.Parameter("Wait").TypeName);
            Assert.Equal("TimeSpan", cmdlet.Parameter("Timeout").TypeName);
            Assert.True(cmdlet.Parameter("Type").SupportsWildcards);
            Assert.Equal(new[] { "AgentState.Runs.RunEvent" }, cmdlet.OutputTypes);
        }

        [Theory]
        [InlineData("Get-AgentRun")]
        [InlineData("Get-AgentRunDiagnosis")]
        [InlineData("Get-AgentRunEvent")]
        [InlineData("Complete-AgentRun")]
        [InlineData("Save-AgentRunResult")]
        [InlineData("Invoke-AgentRunProcess")]
        public void A_run_id_completes_from_the_runs_folder(string name)
        {
            Assert.Equal("RunIdCompleter", CmdletContract.Get(name).Parameter("RunId").Completer);
        }

        [Theory]
        [InlineData("AgentState.Runs.RunRecord", "UpdatedAt")]
        [InlineData("AgentState.Runs.AgentResultRecord", "CompletedAt")]
        [InlineData("AgentState.Runs.IterationRecord", "StartedAt")]
        [InlineData("AgentState.Runs.RunEvent", "Time")]
        public void Run_timestamps_are_DateTimeOffset(string type, string property)
        {
            Assert.StartsWith("System.Nullable`1[[System.DateTimeOffset", CmdletContract.FindType(type)!.GetProperty(property)!.PropertyType.FullName);
        }
    }
}
