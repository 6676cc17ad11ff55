using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using AgentState.IO;
using AgentState.Locking;

namespace AgentState.Bench
{
    /// <summary>
    /// Whole processes contending for one file's lock: each takes it again and again for a durable read-modify-write
    /// of a shared counter, and records how long every acquisition waited. Prints p50, p99 and max per contender
    /// count, and checks that the counter lost no update. Run: dotnet run -c Release -- lock-waits 8 32
    /// </summary>
    public static class LockWaitMeasurement
    {
        private const int Acquisitions = 50;

        public static int Run(string[] args)
        {
            int[] counts = args.Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).DefaultIfEmpty(8).ToArray();
            string self = typeof(LockWaitMeasurement).Assembly.Location;
            Console.WriteLine($"{Environment.ProcessorCount} cores; {Acquisitions} durable read-modify-writes per process; waits in ms");
            Console.WriteLine("| processes | acquisitions | p50 | p99 | max | counter |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---|");
            foreach (int processes in counts)
            {
                string folder = Path.Combine(Path.GetTempPath(), "agentstate-lockwaits-" + Guid.NewGuid().ToString("n"));
                Directory.CreateDirectory(folder);
                try
                {
                    string counter = Path.Combine(folder, "counter.txt");
                    string go = Path.Combine(folder, "go");
                    File.WriteAllText(counter, "0");
                    var workers = Enumerable.Range(0, processes).Select(_ => Start(self, counter, go)).ToList();
                    Thread.Sleep(2000); // Let every worker start up and wait at the line, so they all contend from the first acquisition.
                    File.WriteAllText(go, "go");
                    var waits = new List<double>();
                    foreach (Process worker in workers)
                    {
                        string output = worker.StandardOutput.ReadToEnd();
                        worker.WaitForExit();
                        if (worker.ExitCode != 0)
                        {
                            throw new InvalidOperationException("a worker failed: " + worker.StandardError.ReadToEnd());
                        }

                        waits.AddRange(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => double.Parse(l, CultureInfo.InvariantCulture)));
                        worker.Dispose();
                    }

                    waits.Sort();
                    int total = int.Parse(File.ReadAllText(counter), CultureInfo.InvariantCulture);
                    string check = total == processes * Acquisitions ? $"{total}, none lost" : $"{total} of {processes * Acquisitions}: LOST UPDATES";
                    Console.WriteLine(FormattableString.Invariant($"| {processes} | {waits.Count} | {Percentile(waits, 0.50):0.0} | {Percentile(waits, 0.99):0.0} | {waits[^1]:0.0} | {check} |"));
                }
                finally
                {
                    Directory.Delete(folder, recursive: true);
                }
            }

            return 0;
        }

        /// <summary>One contender: waits for the go file, then takes the lock <see cref="Acquisitions"/> times.</summary>
        public static int Work(string[] args)
        {
            string counter = args[1], go = args[2];
            while (!File.Exists(go))
            {
                Thread.Sleep(1);
            }

            var writer = new AtomicFileWriter();
            var waits = new StringBuilder();
            for (int i = 0; i < Acquisitions; i++)
            {
                var clock = Stopwatch.StartNew();
                using (ExclusiveFileLock.Acquire(counter, TimeSpan.FromMinutes(10)))
                {
                    waits.Append(clock.Elapsed.TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture)).Append('\n');
                    int value = int.Parse(File.ReadAllText(counter), CultureInfo.InvariantCulture);
                    writer.WriteText(counter, (value + 1).ToString(CultureInfo.InvariantCulture));
                }
            }

            Console.Write(waits.ToString());
            return 0;
        }

        private static Process Start(string self, string counter, string go)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in new[] { self, "lock-worker", counter, go })
            {
                info.ArgumentList.Add(argument);
            }

            return Process.Start(info) ?? throw new InvalidOperationException("could not start a worker");
        }

        private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
