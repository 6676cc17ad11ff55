using System;
using System.Linq;
using System.Threading.Tasks;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Cli
{
    /// <summary><c>agentstate queue claim --count</c> on a folder queue, run as real processes.</summary>
    public sealed class QueueClaimManyCliTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();

        public void Dispose() => _folder.Dispose();

        private string Queue => _folder.File("queue");

        private CliProcess.Result Q(string[] arguments) => QWithInput(arguments, null);

        private CliProcess.Result QWithInput(string[] arguments, byte[]? stdin) =>
            CliProcess.Run(new[] { "queue" }.Concat(arguments).Concat(new[] { "--queue", Queue }), stdin);

        [Fact]
        public void Several_items_come_in_claim_order_with_their_own_tokens() =>
            ClaimManyCliScenarios.Several_items_come_in_claim_order_with_their_own_tokens(Q);

        [Fact]
        public void A_count_outside_1_to_1000_is_a_usage_error_that_claims_nothing() =>
            ClaimManyCliScenarios.A_count_outside_1_to_1000_is_a_usage_error_that_claims_nothing(Q);

        [Fact]
        public void A_loop_claiming_three_at_a_time_completes_all_seven() =>
            ClaimManyCliScenarios.A_loop_claiming_three_at_a_time_completes_all_seven(Q, QWithInput);

        [Fact]
        public void A_loop_that_runs_out_of_input_leaves_the_rest_of_its_batch_claimed() =>
            ClaimManyCliScenarios.A_loop_that_runs_out_of_input_leaves_the_rest_of_its_batch_claimed(Q, QWithInput);

        [Fact]
        [Trait("Category", "Crash")]
        public Task A_consumer_killed_holding_a_batch_returns_every_item_of_it() =>
            ClaimManyCliScenarios.A_consumer_killed_holding_a_batch_returns_every_item_of_it(Q, arguments => CliProcess.Start(new[] { "queue" }.Concat(arguments).Concat(new[] { "--queue", Queue })));

        [Fact]
        public void A_bad_count_leaves_no_queue_folder_behind()
        {
            CliProcess.Result refused = Q(new[] { "claim", "--count", "1001", "--init" });

            Assert.True(refused.ExitCode == 2, $"claim --count 1001 exited {refused.ExitCode}, not 2: {refused.StandardError}");
            Assert.False(System.IO.Directory.Exists(Queue), "a refused --count still made the queue folder");
        }
    }
}
