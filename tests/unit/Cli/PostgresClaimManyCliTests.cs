using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Cli
{
    /// <summary><c>agentstate queue claim --count</c> on a PostgreSQL store, run as real processes against the collection's throwaway server.</summary>
    [Collection(PostgresCollection.Name)]
    public sealed class PostgresClaimManyCliTests
    {
        private readonly PostgresServerFixture _postgres;

        public PostgresClaimManyCliTests(PostgresServerFixture postgres)
        {
            _postgres = postgres;
        }

        /// <summary>A schema of its own for each test, made by db init; the returned runners name it.</summary>
        private (Func<string[], CliProcess.Result> Q, Func<string[], byte[], CliProcess.Result> QWithInput, Func<string[], Process> Start) NewStore()
        {
            string store = _postgres.Server.Uri + "&schema=m" + Guid.NewGuid().ToString("n").Substring(0, 16);
            CliProcess.Result init = CliProcess.Run("db", "init", "--store", store);
            Assert.True(init.ExitCode == 0, $"db init exited {init.ExitCode}: {init.StandardError}");
            string[] Named(string[] arguments) => new[] { "queue" }.Concat(arguments).Concat(new[] { "--store", store }).ToArray();
            return (arguments => CliProcess.Run(Named(arguments), null), (arguments, stdin) => CliProcess.Run(Named(arguments), stdin), arguments => CliProcess.Start(Named(arguments)));
        }

        [PostgresFact]
        public void Several_items_come_in_claim_order_with_their_own_tokens() =>
            ClaimManyCliScenarios.Several_items_come_in_claim_order_with_their_own_tokens(NewStore().Q);

        [PostgresFact]
        public void A_count_outside_1_to_1000_is_a_usage_error_that_claims_nothing() =>
            ClaimManyCliScenarios.A_count_outside_1_to_1000_is_a_usage_error_that_claims_nothing(NewStore().Q);

        [PostgresFact]
        public void A_loop_claiming_three_at_a_time_completes_all_seven()
        {
            var store = NewStore();
            ClaimManyCliScenarios.A_loop_claiming_three_at_a_time_completes_all_seven(store.Q, store.QWithInput);
        }

        [PostgresFact]
        public void A_loop_that_runs_out_of_input_leaves_the_rest_of_its_batch_claimed()
        {
            var store = NewStore();
            ClaimManyCliScenarios.A_loop_that_runs_out_of_input_leaves_the_rest_of_its_batch_claimed(store.Q, store.QWithInput);
        }

        [PostgresFact]
        [Trait("Category", "Crash")]
        public Task A_consumer_killed_holding_a_batch_returns_every_item_of_it()
        {
            var store = NewStore();
            return ClaimManyCliScenarios.A_consumer_killed_holding_a_batch_returns_every_item_of_it(store.Q, store.Start);
        }
    }
}
