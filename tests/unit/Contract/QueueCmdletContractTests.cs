using System.Linq;
using AgentState.Runs;
using Xunit;

namespace AgentState.Tests.Contract
{
    /// <summary>The signatures issue 13 declares: retry and the work queue's cmdlets.</summary>
    public sealed class QueueCmdletContractTests
    {
        [Fact]
        public void Invoke_WithRetry_takes_a_script_block_and_the_whole_policy()
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get("Invoke-WithRetry");

            Assert.True(cmdlet.Parameter("ScriptBlock").Sets.Single() is { Position: 0, Mandatory: true });
            Assert.Equal("Int32", cmdlet.Parameter("MaxAttempts").TypeName);
            Assert.Equal("TimeSpan", cmdlet.Parameter("InitialDelay").TypeName);
            Assert.Equal("Double", cmdlet.Parameter("Multiplier").TypeName);
            Assert.Equal("TimeSpan", cmdlet.Parameter("MaxDelay").TypeName);
            Assert.Equal("SwitchParameter", cmdlet.Parameter("NoJitter").TypeName);
            Assert.Equal("TimeSpan", cmdlet.Parameter("Deadline").TypeName);
            Assert.Equal("RunErrorType[]", cmdlet.Parameter("RetryOn").TypeName);
            Assert.Equal("Type[]", cmdlet.Parameter("RetryOnException").TypeName);
            Assert.Equal("ScriptBlock", cmdlet.Parameter("RetryIf").TypeName);
            Assert.Contains(cmdlet.Verb, CmdletContract.ApprovedVerbs);
        }

        [Theory]
        [InlineData("Add-AgentWorkItem")]
        [InlineData("Receive-AgentWorkItem")]
        [InlineData("Update-AgentWorkItemLease")]
        [InlineData("Complete-AgentWorkItem")]
        [InlineData("Stop-AgentWorkItem")]
        public void Every_cmdlet_that_changes_the_queue_supports_WhatIf(string name)
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get(name);

            Assert.True(cmdlet.SupportsShouldProcess);
            Assert.Contains(cmdlet.Verb, CmdletContract.ApprovedVerbs);
            Assert.True(cmdlet.Parameter("Queue").Sets.Single().FromPipelineByPropertyName);
        }

        [Theory]
        [InlineData("Update-AgentWorkItemLease")]
        [InlineData("Complete-AgentWorkItem")]
        [InlineData("Stop-AgentWorkItem")]
        public void A_claimed_item_binds_by_its_id_token_and_queue(string name)
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get(name);

            Assert.True(cmdlet.Parameter("Id").Sets.Single() is { Mandatory: true, FromPipelineByPropertyName: true });
            Assert.True(cmdlet.Parameter("LeaseToken").Sets.Single() is { Mandatory: true, FromPipelineByPropertyName: true });
            Assert.Equal(new[] { "AgentState.Queue.WorkItem" }, cmdlet.OutputTypes);
        }

        [Fact]
        public void The_fail_cmdlet_is_Stop_with_the_alias_Fail()
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get("Stop-AgentWorkItem");

            Assert.Equal(new[] { "Fail-AgentWorkItem" }, cmdlet.Aliases);
            Assert.True(cmdlet.Parameter("ErrorMessage").Sets.Single() is { Mandatory: true, Position: 0 });
            Assert.Null(cmdlet.Parameter("Id").Sets.Single().Position); // so that $item | Stop-AgentWorkItem 'why' binds the message
            Assert.Equal("TimeSpan", cmdlet.Parameter("RetryAfter").TypeName);
        }

        [Fact]
        public void Add_AgentWorkItem_takes_an_order_by_property_name()
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get("Add-AgentWorkItem");

            foreach (string name in new[] { "Id", "Payload", "Priority", "NotBefore", "MaxAttempts" })
            {
                Assert.True(cmdlet.Parameter(name).Sets.Single().FromPipelineByPropertyName, name);
            }

            Assert.Equal("PSObject", cmdlet.Parameter("Payload").TypeName);
            Assert.Equal("DateTime", cmdlet.Parameter("NotBefore").TypeName);
            Assert.Equal("TimeSpan", cmdlet.Parameter("CapacityTimeout").TypeName);
            Assert.Equal(new[] { "AgentState.Queue.WorkItem" }, cmdlet.OutputTypes);
        }

        [Fact]
        public void Receive_AgentWorkItem_claims_up_to_Count_items_of_1_to_1000()
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get("Receive-AgentWorkItem");
            DeclaredParameter count = cmdlet.Parameter("Count");

            Assert.Equal("Int32", count.TypeName); // an int, so that [long] and "5" from a CSV bind by PowerShell's conversion
            Assert.True(count.Sets.Single() is { Mandatory: false, Position: null, FromPipeline: false, FromPipelineByPropertyName: false });
            Assert.Equal(new object?[] { 1, 1000 }, count.ValidateRange);
            Assert.Equal(new[] { "AgentState.Queue.WorkItem" }, cmdlet.OutputTypes);
            Assert.Equal(new[] { "Count", "HolderProcessId", "Lease", "Queue", "Store", "Wait" }, cmdlet.Parameters.Select(p => p.Name).OrderBy(n => n, System.StringComparer.Ordinal));
        }

        [Fact]
        public void The_readers_take_ids_and_states()
        {
            DeclaredCmdlet get = CmdletContract.Get("Get-AgentWorkItem");
            DeclaredCmdlet position = CmdletContract.Get("Get-AgentWorkItemPosition");

            Assert.True(get.Parameter("Id").SupportsWildcards);
            Assert.True(get.Parameter("Id").Sets.Single() is { FromPipeline: true, Mandatory: false });
            Assert.Equal("WorkItemState[]", get.Parameter("State").TypeName);
            Assert.False(get.SupportsShouldProcess);
            Assert.True(position.Parameter("Id").Sets.Single() is { FromPipeline: true, Mandatory: true });
            Assert.Equal(new[] { "AgentState.Queue.WorkItemPosition" }, position.OutputTypes);
        }
        [Theory]
        [InlineData("Add-AgentWorkItem")]
        [InlineData("Get-AgentWorkItem")]
        [InlineData("Get-AgentWorkItemPosition")]
        [InlineData("Receive-AgentWorkItem")]
        [InlineData("Update-AgentWorkItemLease")]
        [InlineData("Complete-AgentWorkItem")]
        [InlineData("Stop-AgentWorkItem")]
        public void Every_queue_cmdlet_takes_a_Store_that_piped_items_do_not_override(string name)
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get(name);
            DeclaredParameter store = cmdlet.Parameter("Store");

            Assert.Equal("String", store.TypeName);
            Assert.True(store.Sets.Single() is { Mandatory: false, Position: null, FromPipeline: false, FromPipelineByPropertyName: false });
            Assert.Empty(store.Aliases);
            Assert.False(store.SupportsWildcards);
            Assert.Equal("String", cmdlet.Parameter("Queue").TypeName);
            Assert.True(cmdlet.Parameter("Queue").Sets.Single().FromPipelineByPropertyName); // a piped item brings its own queue
        }
    }
}
