using System.Numerics;
using System.Text;
using AgentState.Json;
using AgentState.Trajectories;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>final_metrics summed from the steps: each total only when a step reported it, counts exact, costs exact until decimal overflows.</summary>
    public sealed class MetricsTotalsTests
    {
        private static OrderedJsonObject Metrics(string metrics) =>
            (OrderedJsonObject)JsonTreeReader.Read("{\"source\":\"agent\",\"message\":\"m\",\"metrics\":" + metrics + "}").Root!;

        private static string Totals(params OrderedJsonObject[] steps)
        {
            var totals = new MetricsTotals();
            foreach (OrderedJsonObject step in steps)
            {
                totals.Add(step);
            }

            return Encoding.UTF8.GetString(JsonTreeWriter.WriteLine(totals.ToFinalMetrics())).TrimEnd('\n');
        }

        [Theory]
        [InlineData("{\"prompt_tokens\":5}", "{\"total_prompt_tokens\":10,\"total_steps\":2}")]
        [InlineData("{\"completion_tokens\":5}", "{\"total_completion_tokens\":10,\"total_steps\":2}")]
        [InlineData("{\"cached_tokens\":5}", "{\"total_cached_tokens\":10,\"total_steps\":2}")]
        [InlineData("{\"cost_usd\":0.25}", "{\"total_cost_usd\":0.50,\"total_steps\":2}")]
        public void Each_total_appears_only_when_a_step_reported_it(string metrics, string expected) =>
            Assert.Equal(expected, Totals(Metrics(metrics), Metrics(metrics)));

        [Fact]
        public void Counts_written_as_whole_floats_are_counted_and_fractions_or_text_are_left_out()
        {
            Assert.Equal("{\"total_prompt_tokens\":13,\"total_steps\":3}",
                Totals(Metrics("{\"prompt_tokens\":12.0}"), Metrics("{\"prompt_tokens\":1}"), Metrics("{\"prompt_tokens\":2.5}")));
            Assert.Equal("{\"total_steps\":2}", Totals(Metrics("{\"completion_tokens\":\"7\"}"), Metrics("{\"cached_tokens\":0.5}")));
        }

        [Fact]
        public void Counts_written_only_as_whole_floats_still_give_a_total() =>
            Assert.Equal("{\"total_cached_tokens\":12,\"total_steps\":1}", Totals(Metrics("{\"cached_tokens\":12.0}")));

        [Fact]
        public void A_metrics_value_that_is_not_an_object_counts_the_step_only() =>
            Assert.Equal("{\"total_steps\":1}", Totals(Metrics("[1]")));

        [Fact]
        public void Counts_beyond_long_are_summed_exactly()
        {
            string big = "{\"prompt_tokens\":" + long.MaxValue + "}";

            Assert.Equal("{\"total_prompt_tokens\":18446744073709551614,\"total_steps\":2}", Totals(Metrics(big), Metrics(big)));
        }

        [Fact]
        public void Costs_of_every_number_kind_are_summed_as_decimal_and_text_is_left_out()
        {
            var step = new OrderedJsonObject { ["source"] = "agent", ["message"] = "m", ["metrics"] = new OrderedJsonObject { ["cost_usd"] = new BigInteger(2) } };

            // 0.1 + 0.2 is 0.3 exactly as decimal; a double 1e-3 and an integer 1 are added as they are.
            Assert.Equal("{\"total_cost_usd\":3.301,\"total_steps\":5}",
                Totals(Metrics("{\"cost_usd\":0.1}"), Metrics("{\"cost_usd\":0.2}"), Metrics("{\"cost_usd\":1e-3}"), Metrics("{\"cost_usd\":1}"), step));
            Assert.Equal("{\"total_steps\":1}", Totals(Metrics("{\"cost_usd\":\"0.1\"}")));
        }

        [Fact]
        public void A_cost_beyond_decimal_goes_on_as_double_and_keeps_adding_every_kind()
        {
            var decimalCost = new OrderedJsonObject { ["source"] = "agent", ["message"] = "m", ["metrics"] = new OrderedJsonObject { ["cost_usd"] = 1e28m } };
            string nearMax = "{\"cost_usd\":70000000000000000000000000000}"; // 7e28, read as a BigInteger: two of them overflow decimal.

            var totals = new MetricsTotals();
            totals.Add(Metrics(nearMax));
            totals.Add(Metrics(nearMax));
            totals.Add(Metrics("{\"cost_usd\":1}"));
            totals.Add(Metrics("{\"cost_usd\":1e28}"));
            totals.Add(decimalCost);

            object total = totals.ToFinalMetrics()["total_cost_usd"]!;
            Assert.IsType<double>(total);
            Assert.Equal(1.6e29, (double)total, 1e15);
            Assert.Equal(5L, totals.ToFinalMetrics()["total_steps"]);
        }
    }
}
