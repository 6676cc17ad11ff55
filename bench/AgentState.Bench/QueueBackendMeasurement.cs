using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using AgentState.Queue;
using AgentState.Stores;
using Npgsql;

namespace AgentState.Bench
{
    /// <summary>
    /// <c>queue-backends &lt;postgres connection&gt; [iterations] [items] [--postgres-throughput]</c>: per-operation latency
    /// of enqueue, claim and complete on the folder queue (durable: fsync of file and folder) and the PostgreSQL queue in
    /// the same run, then the throughput of 8 consumers (threads, each with its own queue object, and for PostgreSQL its
    /// own connections) claiming and completing <c>items</c> items on each, claiming one at a time and then ten at a time
    /// (<see cref="IWorkQueue.ClaimMany"/>), each completed by itself. <c>--postgres-throughput</c> runs only the
    /// PostgreSQL throughput. A whole-process measurement, because the PostgreSQL half needs a server that
    /// BenchmarkDotNet's child processes would have to be told about.
    /// </summary>
    internal static class QueueBackendMeasurement
    {
        private const int Consumers = 8;

        private static readonly int[] ClaimSizes = { 1, 10 };

        public static int Run(string[] args)
        {
            if (args.Length < 2)
            {
                Console.Error.WriteLine("usage: queue-backends <postgres connection string> [iterations (default 1000)] [items for throughput (default 10000)]");
                return 2;
            }

            // As the CLI does: the engine opens PostgreSQL stores only through a registered backend.
            AgentStores.UsePostgres(() => new Postgres.PostgresBackend());
            string connection = args[1];
            bool postgresThroughputOnly = args.Contains("--postgres-throughput");
            args = args.Where(a => a != "--postgres-throughput").ToArray();
            int iterations = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
            int items = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10_000;
            string schema = "benchq" + Guid.NewGuid().ToString("n").Substring(0, 8);
            string folder = Path.Combine(Path.GetTempPath(), "agentstate-bench-" + Guid.NewGuid().ToString("n"));
            Console.WriteLine("load average at the start: " + LoadAverage());
            try
            {
                var backends = new (string Name, Func<string, IWorkQueue> Open)[]
                {
                    ("folder (durable)", _ => WorkQueues.Open(StoreLocator.Folder(Path.Combine(folder, "latency")))),
                    ("PostgreSQL", client => WorkQueues.Open(StoreLocator.Parse(connection + ";Schema=" + schema + ";Application Name=" + client, "/"), new StoreOpenOptions { Initialize = true })),
                };

                if (postgresThroughputOnly)
                {
                    backends = Array.Empty<(string, Func<string, IWorkQueue>)>();
                }

                Console.WriteLine("| Backend | Operation | Calls | Median | p95 |");
                Console.WriteLine("|---|---|---:|---:|---:|");
                LeaseHolder me = LeaseHolder.Current;
                foreach ((string name, Func<string, IWorkQueue> open) in backends)
                {
                    IWorkQueue queue = open("latency");
                    LatencyTable.Report(name, "enqueue", LatencyTable.Time(iterations, i => queue.Enqueue(new WorkItemDraft("l" + i, "{\"n\":" + i + "}"))));
                    var claimed = new WorkItem[iterations];
                    LatencyTable.Report(name, "claim", LatencyTable.Time(iterations, i => claimed[i] = queue.Claim(me, TimeSpan.FromMinutes(5)) ?? throw new InvalidOperationException("the queue ran dry")));
                    LatencyTable.Report(name, "complete", LatencyTable.Time(iterations, i => queue.Complete(claimed[i].Id, claimed[i].LeaseToken!)));
                    for (int i = 0; i < iterations; i++)
                    {
                        queue.Enqueue(new WorkItemDraft("c" + i, "{\"n\":" + i + "}"));
                    }

                    LatencyTable.Report(name, "claim + complete", LatencyTable.Time(iterations, _ =>
                    {
                        WorkItem item = queue.Claim(me, TimeSpan.FromMinutes(5)) ?? throw new InvalidOperationException("the queue ran dry");
                        queue.Complete(item.Id, item.LeaseToken!);
                    }));
                }

                Console.WriteLine();
                int? postmaster = Postmaster(connection);
                foreach (int claimSize in ClaimSizes)
                {
                    if (!postgresThroughputOnly)
                    {
                        Throughput("folder (durable)", items, claimSize, null, client => WorkQueues.Open(StoreLocator.Folder(Path.Combine(folder, "throughput" + claimSize))));
                    }

                    // A fresh schema for each run, so that one run's finished rows do not weigh on the next.
                    Throughput("PostgreSQL", items, claimSize, postmaster, client => WorkQueues.Open(StoreLocator.Parse(connection + ";Schema=" + schema + "_" + claimSize + ";Application Name=" + client, "/"), new StoreOpenOptions { Initialize = true }));
                }

                Console.WriteLine("load average at the end: " + LoadAverage());
                return 0;
            }
            finally
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }

                using var c = new NpgsqlConnection(connection);
                c.Open();
                using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE; " + string.Concat(ClaimSizes.Select(n => $"DROP SCHEMA IF EXISTS {schema}_{n} CASCADE; ")), c);
                drop.ExecuteNonQuery();
            }
        }

        /// <summary>
        /// Enqueues <paramref name="items"/> (not timed), then times 8 consumers claiming them <paramref name="claimSize"/>
        /// at a time and completing each by itself.
        /// </summary>
        private static void Throughput(string name, int items, int claimSize, int? postmaster, Func<string, IWorkQueue> open)
        {
            IWorkQueue producer = open("producer");
            for (int i = 0; i < items; i++)
            {
                producer.Enqueue(new WorkItemDraft("t" + i, "{\"n\":" + i + "}"));
            }

            int done = 0;
            LeaseHolder me = LeaseHolder.Current;
            var queues = Enumerable.Range(0, Consumers).Select(c => open("consumer" + c)).ToArray();
            foreach (IWorkQueue queue in queues)
            {
                queue.Count(); // opened (and, for PostgreSQL, a pooled connection made) before the clock starts
            }

            using var start = new ManualResetEventSlim();
            var threads = queues.Select(queue => new Thread(() =>
            {
                start.Wait();
                while (queue.ClaimMany(me, TimeSpan.FromMinutes(5), claimSize) is IReadOnlyList<WorkItem> claimed && claimed.Count > 0)
                {
                    foreach (WorkItem item in claimed)
                    {
                        queue.Complete(item.Id, item.LeaseToken!);
                        Interlocked.Increment(ref done);
                    }
                }
            })).ToArray();
            foreach (Thread thread in threads)
            {
                thread.Start();
            }

            using Process self = Process.GetCurrentProcess();
            TimeSpan clientCpu = self.TotalProcessorTime;
            double serverCpu = postmaster is int p0 ? ServerCpuMs(p0) : 0;
            var watch = Stopwatch.StartNew();
            start.Set();
            foreach (Thread thread in threads)
            {
                thread.Join();
            }

            watch.Stop();
            self.Refresh();
            double clientMs = (self.TotalProcessorTime - clientCpu).TotalMilliseconds;
            double serverMs = postmaster is int p1 ? ServerCpuMs(p1) - serverCpu : 0;
            int completed = producer.Count()[WorkItemState.Completed];
            Console.WriteLine($"{name}, claims of {claimSize}: {Consumers} consumers claimed and completed {done:N0} items ({completed:N0} completed in the queue) in {watch.Elapsed.TotalSeconds:0.00} s: " +
                $"{(done / watch.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture)} claims+completes/s. " +
                $"CPU per item: {(clientMs / done).ToString("0.000", CultureInfo.InvariantCulture)} ms in this process" +
                (postmaster == null ? "." : $", {(serverMs / done).ToString("0.000", CultureInfo.InvariantCulture)} ms in the server's processes."));
        }

        /// <summary>The local server's postmaster (the parent of this connection's backend); null when it is not on this machine.</summary>
        private static int? Postmaster(string connection)
        {
            using var c = new NpgsqlConnection(connection);
            c.Open();
            using var command = new NpgsqlCommand("SELECT pg_backend_pid()", c);
            int backend = (int)command.ExecuteScalar()!;
            string stat = "/proc/" + backend.ToString(CultureInfo.InvariantCulture) + "/stat";
            return File.Exists(stat) ? int.Parse(Fields(File.ReadAllText(stat))[1], CultureInfo.InvariantCulture) : (int?)null;
        }

        /// <summary>
        /// CPU time of the postmaster and its children, living (utime + stime) and reaped (cutime + cstime), in ms: what the
        /// server spent, the other builds on this machine excluded.
        /// </summary>
        private static double ServerCpuMs(int postmaster)
        {
            double ticks = 0;
            foreach (string dir in Directory.EnumerateDirectories("/proc"))
            {
                string stat = Path.Combine(dir, "stat");
                string[] f;
                try
                {
                    f = Fields(File.ReadAllText(stat));
                }
                catch (IOException)
                {
                    continue;
                }
                catch (UnauthorizedAccessException)
                {
                    continue;
                }

                if (!int.TryParse(Path.GetFileName(dir), out int pid) || (pid != postmaster && f[1] != postmaster.ToString(CultureInfo.InvariantCulture)))
                {
                    continue;
                }

                // After "pid (comm)": state ppid ... utime(14) stime(15) cutime(16) cstime(17), numbered from the state as 0.
                ticks += double.Parse(f[11], CultureInfo.InvariantCulture) + double.Parse(f[12], CultureInfo.InvariantCulture);
                if (pid == postmaster)
                {
                    ticks += double.Parse(f[13], CultureInfo.InvariantCulture) + double.Parse(f[14], CultureInfo.InvariantCulture);
                }
            }

            return ticks * 10; // USER_HZ is 100 on Linux
        }

        /// <summary>The fields of /proc/pid/stat after the command name (which may hold spaces): state, ppid, ...</summary>
        private static string[] Fields(string stat) => stat.Substring(stat.LastIndexOf(')') + 2).Split(' ');

        private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "(unknown)";
    }
}
