using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace AgentState.Bench
{
    /// <summary>
    /// Whole processes, one per action, as a shell hook or cron job runs them: the native agentstate, the
    /// framework-dependent one (dotnet agentstate.dll) and the bash they replace (seed 004's write_atomic and
    /// update_json_atomic, a jq line appended for a trajectory step), paired: every round runs each variant of a case
    /// once, in a rotating order, so a change in the machine's load falls on all of them alike. Wall time is taken
    /// around the process; peak resident memory is GNU time's %M (the child's ru_maxrss).
    /// Run: dotnet run -c Release -- startup [rounds] (after ./build.ps1 -Task Native and a Release build of the CLI).
    /// </summary>
    public static class StartupMeasurement
    {
        private const string SeedFunctions =
            "write_atomic() { local target=\"$1\"; local content=\"$2\"; local temp=\"${target}.tmp.$$\"; "
            + "echo \"$content\" > \"$temp\"; mv \"$temp\" \"$target\"; }; "
            + "update_json_atomic() { local target=\"$1\"; local jq_filter=\"$2\"; local temp=\"${target}.tmp.$$\"; "
            + "local current=$(cat \"$target\"); local updated=$(echo \"$current\" | jq \"$jq_filter\"); "
            + "echo \"$updated\" > \"$temp\"; mv \"$temp\" \"$target\"; }; ";

        private sealed record Variant(string Name, string Program, string[] Arguments);

        private sealed record Case(string Name, Variant[] Variants, Action Reset);

        public static int Run(string[] args)
        {
            int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
            string repo = FindRepo();
            string native = Path.Combine(repo, "out/native/linux-x64/agentstate");
            string dll = Path.Combine(repo, "src/AgentState.Cli/bin/Release/net8.0/agentstate.dll");
            foreach (string needed in new[] { native, dll, "/usr/bin/time" })
            {
                if (!File.Exists(needed))
                {
                    Console.Error.WriteLine($"missing {needed}: run ./build.ps1 -Task Native and dotnet build src/AgentState.Cli -c Release first");
                    return 1;
                }
            }

            // On the machine's disk beside the benchmark, not on a tmpfs: fsync must cost what it costs.
            string work = Path.Combine(AppContext.BaseDirectory, "bench-data", "startup-" + Guid.NewGuid().ToString("n"));
            Directory.CreateDirectory(work);
            try
            {
                var cases = Cases(native, dll, repo, work);
                Console.WriteLine($"{Environment.ProcessorCount} cores; {rounds} paired rounds; load average {LoadAverage()} at the start");
                Console.WriteLine("| case | variant | median ms | p90 ms | peak RSS MiB | median ratio to bash |");
                Console.WriteLine("|---|---|---:|---:|---:|---:|");
                foreach (Case c in cases)
                {
                    var times = c.Variants.ToDictionary(v => v.Name, _ => new List<double>());
                    var rss = c.Variants.ToDictionary(v => v.Name, _ => 0L);
                    var ratios = c.Variants.ToDictionary(v => v.Name, _ => new List<double>());
                    Measure(c, c.Variants[0], work); // one unrecorded round each: the page cache, not the first run, is what a hook sees
                    for (int round = 0; round < rounds; round++)
                    {
                        var inRound = new Dictionary<string, double>();
                        for (int k = 0; k < c.Variants.Length; k++)
                        {
                            Variant v = c.Variants[(round + k) % c.Variants.Length];
                            (double ms, long kib) = Measure(c, v, work);
                            inRound[v.Name] = ms;
                            times[v.Name].Add(ms);
                            rss[v.Name] = Math.Max(rss[v.Name], kib);
                        }

                        if (inRound.TryGetValue("bash", out double bash))
                        {
                            foreach (var pair in inRound)
                            {
                                ratios[pair.Key].Add(pair.Value / bash);
                            }
                        }
                    }

                    foreach (Variant v in c.Variants)
                    {
                        string ratio = ratios[v.Name].Count > 0 ? Percentile(ratios[v.Name], 0.5).ToString("0.00", CultureInfo.InvariantCulture) : "";
                        Console.WriteLine(FormattableString.Invariant(
                            $"| {c.Name} | {v.Name} | {Percentile(times[v.Name], 0.5):0.0} | {Percentile(times[v.Name], 0.9):0.0} | {rss[v.Name] / 1024.0:0.0} | {ratio} |"));
                    }
                }

                Console.WriteLine($"load average {LoadAverage()} at the end");
                return 0;
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }

        private static List<Case> Cases(string native, string dll, string repo, string work)
        {
            string state = Path.Combine(work, "s.json");
            // traj add appends to an open trajectory: start one first.
            string traj = Run(native, new[] { "traj", "start", "--root", Path.Combine(work, "trajectories"), "--session-id", "bench",
                "--agent-name", "bench", "--agent-version", "1" }).Trim();
            string bashTraj = Path.Combine(work, "bash.jsonl");
            string store = Path.Combine(repo, "examples/agent-deployment");
            Variant[] Cli(params string[] a) => new[]
            {
                new Variant("native", native, a),
                new Variant("dotnet agentstate.dll", "dotnet", new[] { dll }.Concat(a).ToArray()),
            };
            Variant Bash(string script) => new Variant("bash", "bash", new[] { "-c", SeedFunctions + script });

            return new List<Case>
            {
                new Case("write (durable)", Cli("write", state, "--value", "{\"a\":1}").Append(Bash($"write_atomic '{state}' '{{\"a\":1}}'")).ToArray(),
                    () => File.WriteAllText(state, "{\"a\":0}\n")),
                // No fsync on either side: start-up against start-up, as the seed's bash never flushes.
                new Case("write --durability atomic", Cli("write", state, "--value", "{\"a\":1}", "--durability", "atomic")
                    .Append(Bash($"write_atomic '{state}' '{{\"a\":1}}'")).ToArray(),
                    () => File.WriteAllText(state, "{\"a\":0}\n")),
                new Case("update -- jq", Cli("update", state, "--", "jq", ".a += 1").Append(Bash($"update_json_atomic '{state}' '.a += 1'")).ToArray(),
                    () => File.WriteAllText(state, "{\"a\":0}\n")),
                new Case("traj add --path (one step)", Cli("traj", "add", "--path", traj, "--source", "user", "--message", "Fix the flaky test")
                    .Append(Bash("jq -nc --arg m 'Fix the flaky test' '{step_id: 1, timestamp: (now | todate), source: \"user\", message: $m}' >> '"
                        + bashTraj + "'")).ToArray(),
                    () => { }),
                new Case("recover check (example store)", Cli("recover", "check", "--root", store), () => { }),
            };
        }

        private static (double Ms, long Kib) Measure(Case c, Variant v, string work)
        {
            c.Reset();
            string timing = Path.Combine(work, "time.txt");
            var stopwatch = Stopwatch.StartNew();
            Run("/usr/bin/time", new[] { "-f", "%M", "-o", timing, v.Program }.Concat(v.Arguments).ToArray());
            stopwatch.Stop();
            long kib = long.Parse(File.ReadAllLines(timing).Last(l => l.Length > 0), CultureInfo.InvariantCulture);
            return (stopwatch.Elapsed.TotalMilliseconds, kib);
        }

        private static string Run(string program, string[] arguments)
        {
            var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in arguments)
            {
                info.ArgumentList.Add(a);
            }

            using Process process = Process.Start(info)!;
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {error}{output}");
            }

            return output;
        }

        private static string FindRepo()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "AgentState.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("run from inside the repository");
        }

        private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

        private static double Percentile(List<double> values, double p)
        {
            var sorted = values.OrderBy(x => x).ToList();
            return sorted[Math.Min(sorted.Count - 1, (int)Math.Floor(p * sorted.Count))];
        }
    }
}
