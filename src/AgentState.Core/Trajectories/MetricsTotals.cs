using System;
using System.Numerics;
using AgentState.Json;

namespace AgentState.Trajectories
{
    /// <summary>
    /// Sums the steps' metrics into final_metrics, as the seed's recovery loader reconstructs them. Token counts are
    /// summed as BigInteger and costs as decimal (double once a cost is beyond decimal's range), so that no count a
    /// step may carry makes adding it fail after the step was written.
    /// </summary>
    public sealed class MetricsTotals
    {
        private BigInteger _prompt;
        private BigInteger _completion;
        private BigInteger _cached;
        private decimal _cost;
        private double? _costBeyondDecimal;
        private bool _anyPrompt;
        private bool _anyCompletion;
        private bool _anyCached;
        private bool _anyCost;

        /// <summary>Steps counted.</summary>
        public long Steps { get; private set; }

        /// <summary>Adds one step; values that are not numbers (which the validator refuses in new steps) are left out.</summary>
        public void Add(OrderedJsonObject step)
        {
            Steps++;
            if (!(step.ContainsKey("metrics") && step["metrics"] is OrderedJsonObject metrics))
            {
                return;
            }

            _anyPrompt |= Add(metrics, "prompt_tokens", ref _prompt);
            _anyCompletion |= Add(metrics, "completion_tokens", ref _completion);
            _anyCached |= Add(metrics, "cached_tokens", ref _cached);
            if (metrics.ContainsKey("cost_usd") && JsonNumber.IsNumber(metrics["cost_usd"]))
            {
                AddCost(metrics["cost_usd"]!);
                _anyCost = true;
            }
        }

        /// <summary>final_metrics: the totals that any step reported, and total_steps.</summary>
        public OrderedJsonObject ToFinalMetrics()
        {
            var final = new OrderedJsonObject();
            if (_anyPrompt)
            {
                final["total_prompt_tokens"] = JsonNumber.Narrow(_prompt);
            }

            if (_anyCompletion)
            {
                final["total_completion_tokens"] = JsonNumber.Narrow(_completion);
            }

            if (_anyCached)
            {
                final["total_cached_tokens"] = JsonNumber.Narrow(_cached);
            }

            if (_anyCost)
            {
                final["total_cost_usd"] = _costBeyondDecimal ?? (object)_cost;
            }

            final["total_steps"] = Steps;
            return final;
        }

        private void AddCost(object value)
        {
            if (_costBeyondDecimal == null)
            {
                try
                {
                    _cost += value switch
                    {
                        long l => l,
                        BigInteger big => (decimal)big,
                        double d => (decimal)d,
                        _ => (decimal)value,
                    };
                    return;
                }
                catch (OverflowException)
                {
                    _costBeyondDecimal = (double)_cost;
                }
            }

            _costBeyondDecimal += value switch
            {
                long l => l,
                BigInteger big => (double)big,
                decimal m => (double)m,
                _ => (double)value,
            };
        }

        private static bool Add(OrderedJsonObject metrics, string key, ref BigInteger total)
        {
            if (!metrics.ContainsKey(key))
            {
                return false;
            }

            switch (metrics[key])
            {
                case object value when JsonNumber.TryGetInteger(value, out BigInteger count):
                    total += count;
                    return true;
                case decimal whole when whole == decimal.Truncate(whole):
                    total += new BigInteger(whole); // 12.0 from a tool that writes counts as floats.
                    return true;
                default:
                    return false;
            }
        }
    }
}
