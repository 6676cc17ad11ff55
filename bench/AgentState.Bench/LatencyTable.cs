using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;

namespace AgentState.Bench
{
    /// <summary>Per-call latencies of the whole-process modes, as rows of a markdown table (median and p95).</summary>
    internal static class LatencyTable
    {
        /// <summary>Calls <paramref name="call"/> <paramref name="iterations"/> times; each call's time in microseconds, sorted.</summary>
        public static List<double> Time(int iterations, Action<int> call)
        {
            var times = new List<double>(iterations);
            for (int i = 0; i < iterations; i++)
            {
                long start = Stopwatch.GetTimestamp();
                call(i);
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1000);
            }

            times.Sort();
            return times;
        }

        /// <summary>One row: | backend | operation | calls | median | p95 |.</summary>
        public static void Report(string backend, string operation, List<double> microseconds) =>
            Console.WriteLine($"| {backend} | {operation} | {microseconds.Count} | {Us(microseconds[microseconds.Count / 2])} | {Us(microseconds[(int)(microseconds.Count * 0.95)])} |");

        private static string Us(double value) => value.ToString("N0", CultureInfo.InvariantCulture) + " us";
    }
}
