using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using AgentState.Json;
using AgentState.Runs;

namespace AgentState.Bench
{
    /// <summary>
    /// `dotnet run -c Release -- list-runs [rounds]` over the folder RunListBenchmarks builds: the store's listing beside
    /// its parts done plainly (the folder enumerated, every run.json read, then parsed), to see where the time goes.
    /// </summary>
    public static class RunListMeasurement
    {
        public static int Run(string[] args)
        {
            int rounds = args.Length > 1 ? int.Parse(args[1]) : 5;
            string folder = Path.Combine(AppContext.BaseDirectory, "bench-data", "runs-10000");
            if (!Directory.Exists(folder))
            {
                Console.Error.WriteLine("no runs-10000 folder: run RunListBenchmarks first");
                return 1;
            }

            var store = new RunStore(folder);
            Console.WriteLine($"{"round",5} {"enumerate ms",13} {"read ms",9} {"read+parse ms",14} {"Scan ms",9}");
            for (int r = 1; r <= rounds; r++)
            {
                var clock = Stopwatch.StartNew();
                string[] dirs = Directory.GetDirectories(folder);
                double enumerate = clock.Elapsed.TotalMilliseconds;
                clock.Restart();
                long bytes = 0;
                foreach (string dir in dirs)
                {
                    bytes += File.ReadAllBytes(Path.Combine(dir, "run.json")).Length;
                }

                double read = clock.Elapsed.TotalMilliseconds;
                clock.Restart();
                int objects = 0;
                foreach (string dir in dirs)
                {
                    objects += JsonTreeReader.Read(File.ReadAllBytes(Path.Combine(dir, "run.json"))).Root is OrderedJsonObject ? 1 : 0;
                }

                double parse = clock.Elapsed.TotalMilliseconds;
                clock.Restart();
                int listed = store.Scan().Count();
                double scan = clock.Elapsed.TotalMilliseconds;
                Console.WriteLine($"{r,5} {enumerate,13:F0} {read,9:F0} {parse,14:F0} {scan,9:F0}   ({listed} runs, {objects} parsed, {bytes} bytes)");
            }

            return 0;
        }
    }
}
