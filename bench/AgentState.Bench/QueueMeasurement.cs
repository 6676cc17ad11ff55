using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AgentState.Queue;

namespace AgentState.Bench
{
    /// <summary>
    /// Whole-process measurements of the work queue.
    /// <c>queue-position 100000</c>: lays out a queue of that many items in three priorities, then times
    /// Position for items at the front, the middle and the end.
    /// <c>queue-throughput 8 2000</c>: enqueues the items durably, then times 8 consumer processes claiming and completing
    /// them all (<c>queue-consumer</c> is what each of them runs).
    /// </summary>
    public static class QueueMeasurement
    {
        public static int Position(string[] args)
        {
            int count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
            string folder = Path.Combine(AppContext.BaseDirectory, "bench-data", Guid.NewGuid().ToString("n"), "queue");
            try
            {
                var build = Stopwatch.StartNew();
                LayOut(folder, count);
                var queue = new FolderWorkQueue(folder);
                int queued = queue.Count()[WorkItemState.Queued];
                Console.WriteLine($"laid out {queued} queued items in {build.Elapsed.TotalSeconds:0.0} s (names as the engine writes them; not fsynced)");
                foreach ((string label, int index, bool hint) in new[] { ("first of the top priority", 0, true), ("middle", count / 2, true), ("last", count - 1, true), ("last, without its hint", count - 1, false) })
                {
                    string id = "item-" + index.ToString(CultureInfo.InvariantCulture);
                    if (!hint)
                    {
                        File.WriteAllBytes(Path.Combine(folder, "ids", id), Array.Empty<byte>()); // the full scan, as for an item queued before hints
                    }

                    int? position = queue.Position(id).Position;
                    var times = new List<double>();
                    var cpu = new List<double>();
                    using Process self = Process.GetCurrentProcess();
                    for (int run = 0; run < 20; run++)
                    {
                        self.Refresh();
                        TimeSpan cpuBefore = self.TotalProcessorTime;
                        var watch = Stopwatch.StartNew();
                        queue.Position(id);
                        times.Add(watch.Elapsed.TotalMilliseconds);
                        self.Refresh();
                        cpu.Add((self.TotalProcessorTime - cpuBefore).TotalMilliseconds);
                    }

                    times.Sort();
                    cpu.Sort();
                    Console.WriteLine($"{label,-26} position {position,7}: wall median {times[times.Count / 2],6:0.0} ms, max {times[^1],6:0.0} ms; CPU median {cpu[cpu.Count / 2],6:0.0} ms; {times.Count} runs");
                }

                return 0;
            }
            finally
            {
                Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
            }
        }

        public static int Throughput(string[] args)
        {
            int consumers = int.Parse(args[1], CultureInfo.InvariantCulture);
            int items = int.Parse(args[2], CultureInfo.InvariantCulture);
            string folder = Path.Combine(AppContext.BaseDirectory, "bench-data", Guid.NewGuid().ToString("n"), "queue");
            try
            {
                var queue = new FolderWorkQueue(folder);
                var enqueue = Stopwatch.StartNew();
                for (int i = 0; i < items; i++)
                {
                    queue.Enqueue(new WorkItemDraft("t-" + i.ToString(CultureInfo.InvariantCulture), "{\"n\":" + i.ToString(CultureInfo.InvariantCulture) + "}"));
                }

                Console.WriteLine($"1 producer: {items} durable enqueues in {enqueue.Elapsed.TotalSeconds:0.0} s = {items / enqueue.Elapsed.TotalSeconds:0} items/s");
                string self = typeof(QueueMeasurement).Assembly.Location;
                var processes = Enumerable.Range(0, consumers).Select(_ =>
                {
                    var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
                    info.ArgumentList.Add(self);
                    info.ArgumentList.Add("queue-consumer");
                    info.ArgumentList.Add(folder);
                    return Process.Start(info)!;
                }).ToList();
                var results = processes.Select(p => p.StandardOutput.ReadToEnd().Trim().Split(' ')).ToList();
                processes.ForEach(p => p.WaitForExit());
                int done = results.Sum(r => int.Parse(r[0], CultureInfo.InvariantCulture));
                DateTime first = results.Min(r => new DateTime(long.Parse(r[1], CultureInfo.InvariantCulture), DateTimeKind.Utc));
                DateTime last = results.Max(r => new DateTime(long.Parse(r[2], CultureInfo.InvariantCulture), DateTimeKind.Utc));
                double seconds = (last - first).TotalSeconds;
                Console.WriteLine($"{consumers} consumer processes: {done} claim+complete in {seconds:0.0} s (first claim to last completion) = {done / seconds:0} items/s; per consumer {string.Join(", ", results.Select(r => r[0]))}");
                Console.WriteLine($"completed: {queue.Count()[WorkItemState.Completed]} of {items}");
                return done == items ? 0 : 1;
            }
            finally
            {
                Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
            }
        }

        /// <summary>One consumer: claims and completes until the queue is empty; prints "count firstTicks lastTicks".</summary>
        public static int Consume(string[] args)
        {
            var queue = new FolderWorkQueue(args[1]);
            int count = 0;
            long first = 0, last = 0;
            while (queue.Claim(LeaseHolder.Current, TimeSpan.FromMinutes(5)) is WorkItem item)
            {
                first = first == 0 ? DateTime.UtcNow.Ticks : first;
                queue.Complete(item.Id, item.LeaseToken!);
                last = DateTime.UtcNow.Ticks;
                count++;
            }

            Console.WriteLine($"{count} {(first == 0 ? DateTime.UtcNow.Ticks : first)} {(last == 0 ? DateTime.UtcNow.Ticks : last)}");
            return 0;
        }

        /// <summary>
        /// The queue as <see cref="FolderWorkQueue"/> lays it out, written directly: 100,000 durable enqueues would take
        /// a quarter of an hour on the busy development machine, and Position reads only the names.
        /// </summary>
        private static void LayOut(string folder, int count)
        {
            foreach (string sub in new[] { "tmp", "seq", "ids", "ready", "claimed", "done", "dead", "errors" })
            {
                Directory.CreateDirectory(Path.Combine(folder, sub));
            }

            string enqueuedAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
            for (int i = 0; i < count; i++)
            {
                long sequence = i + 1;
                int priority = i < count / 10 ? 9 : i < count / 2 ? 5 : 0;
                string id = "item-" + i.ToString(CultureInfo.InvariantCulture);
                string bucket = Path.Combine(folder, "ready", "p" + priority.ToString("D3", CultureInfo.InvariantCulture), (sequence / 1024).ToString("D9", CultureInfo.InvariantCulture));
                Directory.CreateDirectory(bucket);
                string name = sequence.ToString("D12", CultureInfo.InvariantCulture) + ".0.0." + id;
                File.WriteAllText(Path.Combine(bucket, name), $"{{\"id\":\"{id}\",\"priority\":{priority},\"maxAttempts\":5,\"enqueuedAt\":\"{enqueuedAt}\",\"payload\":{{\"n\":{i}}}}}\n", Encoding.UTF8);
                File.WriteAllText(Path.Combine(folder, "ids", id), priority.ToString(CultureInfo.InvariantCulture) + " " + sequence.ToString(CultureInfo.InvariantCulture));
            }

            File.WriteAllBytes(Path.Combine(folder, "seq", count.ToString("D12", CultureInfo.InvariantCulture)), Array.Empty<byte>());
        }
    }
}
