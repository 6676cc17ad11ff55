using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AgentState.Locking;
using AgentState.Queue;
using AgentState.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AgentState.Tests.Cli
{
    /// <summary>
    /// Many producer and consumer processes on one queue folder, and SIGKILL of either in the middle of its work. The
    /// consumers are <c>agentstate queue claim --loop</c>: each prints the item it holds and waits for the test to say
    /// complete, so a kill lands exactly while an item is held, never by luck.
    /// </summary>
    public sealed class QueueProcessTests : IDisposable
    {
        private static readonly TimeSpan LineTimeout = TimeSpan.FromMinutes(3);
        private readonly TestFolder _folder = new TestFolder();
        private readonly ITestOutputHelper _output;

        public QueueProcessTests(ITestOutputHelper output) => _output = output;

        public void Dispose() => _folder.Dispose();

        private string QueuePath => _folder.File("queue");

        /// <summary>The issue's numbers; AGENTSTATE_QUEUE_TEST_ITEMS may scale the items down on a slow machine.</summary>
        private static int ItemCount => int.TryParse(Environment.GetEnvironmentVariable("AGENTSTATE_QUEUE_TEST_ITEMS"), out int n) && n > 0 ? n : 10_000;

        [Fact]
        [Trait("Category", "Crash")]
        public async Task Eight_consumers_and_four_producers_complete_every_item_once_in_fifo_order_per_priority()
        {
            await EightConsumersAndFourProducers(QueuePath, ItemCount, _output);
            IReadOnlyDictionary<WorkItemState, int> counts = new FolderWorkQueue(QueuePath).Count();
            Assert.Equal(ItemCount, counts[WorkItemState.Completed]);
            Assert.Equal(0, counts[WorkItemState.Queued] + counts[WorkItemState.Claimed] + counts[WorkItemState.DeadLetter]);
        }

        /// <summary>
        /// 4 producer processes queue <paramref name="items"/> items over <paramref name="queue"/> (a folder or a PostgreSQL
        /// connection) while 8 consumer processes complete them: each is claimed and completed exactly once, and each
        /// consumer sees every priority in FIFO order.
        /// </summary>
        /// <param name="fifoAcrossProducers">
        /// True where an item's sequence is given in the order items become visible (the folder queue numbers them under its
        /// lock as it places them): then each consumer sees one priority's sequences rising whoever produced them. False
        /// where concurrent producers may commit out of the order of their sequence numbers (PostgreSQL numbers an item
        /// inside its transaction): then only the order within each producer's stream, each item acknowledged before
        /// the next is sent, is a FIFO order every consumer must see.
        /// </param>
        internal static async Task EightConsumersAndFourProducers(string queue, int items, ITestOutputHelper output, bool fifoAcrossProducers = true)
        {
            const int Producers = 4, Consumers = 8;
            var consumers = Enumerable.Range(0, Consumers).Select(_ => new Consumer(queue, lease: 600)).ToList();
            var seen = new ConcurrentDictionary<string, int>();
            var perConsumer = consumers.Select(_ => new List<(int Priority, long Sequence, int Producer)>()).ToArray();
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            int completed = 0;
            try
            {
                Task[] consuming = consumers.Select((consumer, index) => Task.Run(async () =>
                {
                    while (Volatile.Read(ref completed) < items)
                    {
                        Claim? claim = await consumer.NextClaimAsync(done.Task);
                        if (claim == null)
                        {
                            return;
                        }

                        perConsumer[index].Add((claim.Priority, claim.Sequence, int.Parse(claim.Id.Substring("item-".Length), System.Globalization.CultureInfo.InvariantCulture) % Producers));
                        seen.AddOrUpdate(claim.Id, 1, (_, n) => n + 1);
                        Assert.Equal("completed\t" + claim.Id, await consumer.SendAsync("complete"));
                        if (System.Threading.Interlocked.Increment(ref completed) == items)
                        {
                            done.TrySetResult();
                        }
                    }
                })).ToArray();

                Task<CliProcess.Result>[] producing = Enumerable.Range(0, Producers).Select(p => Task.Run(() =>
                {
                    var lines = new System.Text.StringBuilder();
                    for (int i = p; i < items; i += Producers)
                    {
                        lines.Append("{\"id\":\"item-").Append(i).Append("\",\"priority\":").Append(i % 3).Append(",\"payload\":{\"n\":").Append(i).Append("}}\n");
                    }

                    return CliProcess.Run(new[] { "queue", "add", "--stdin", "--queue", queue }, System.Text.Encoding.UTF8.GetBytes(lines.ToString()));
                })).ToArray();

                foreach (CliProcess.Result result in await Task.WhenAll(producing))
                {
                    Assert.True(result.ExitCode == 0, result.StandardError);
                }

                Assert.True(await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromMinutes(20))) == done.Task, $"only {completed} of {items} items were completed");
                await Task.WhenAll(consuming);
            }
            finally
            {
                consumers.ForEach(c => c.Dispose());
            }

            Assert.Equal(items, seen.Count);
            Assert.Empty(seen.Where(pair => pair.Value != 1).Select(pair => $"{pair.Key} was claimed {pair.Value} times"));
            for (int c = 0; c < Consumers; c++)
            {
                foreach (var group in perConsumer[c].GroupBy(x => fifoAcrossProducers ? (x.Priority, -1) : (x.Priority, x.Producer)))
                {
                    long[] order = group.Select(x => x.Sequence).ToArray();
                    string stream = fifoAcrossProducers ? string.Empty : $" of producer {group.Key.Item2}";
                    Assert.True(order.SequenceEqual(order.OrderBy(x => x)), $"consumer {c} saw priority {group.Key.Item1}{stream} out of FIFO order: {string.Join(",", order.Take(50))}");
                }
            }

            output.WriteLine(string.Join(", ", perConsumer.Select((l, i) => $"consumer {i}: {l.Count}")));
        }

        [Fact]
        [Trait("Category", "Crash")]
        public async Task Sigkill_of_a_consumer_holding_an_item_returns_it_to_be_completed_once()
        {
            const int Items = 300, Kills = 200, Parallel = 6;
            var queue = new FolderWorkQueue(QueuePath);
            for (int i = 0; i < Items; i++)
            {
                queue.Enqueue(new WorkItemDraft("job-" + i, "{}") { MaxAttempts = 1000 });
            }

            var consumers = Enumerable.Range(0, Parallel).Select(_ => new Consumer(QueuePath, lease: 3600)).ToList();
            var pending = consumers.Select(c => c.NextClaimAsync(null)).ToList();
            var completions = new Dictionary<string, int>();
            var killedItems = new List<string>();
            int kills = 0, handled = 0;
            try
            {
                while (completions.Count < Items)
                {
                    // Whichever consumer holds an item first: a replacement's start-up overlaps the others' work.
                    Task<Claim?> ready = await Task.WhenAny(pending);
                    int slot = pending.IndexOf(ready);
                    Claim claim = await ready ?? throw new Xunit.Sdk.XunitException($"consumer {slot} stopped: {consumers[slot].Errors()}");
                    Assert.False(completions.ContainsKey(claim.Id), $"{claim.Id} was claimed again after it was completed");
                    handled++;

                    // Every other claim, while kills remain: the consumer holds the item right now (it printed it and waits for us).
                    if (kills < Kills && handled % 2 == 0)
                    {
                        consumers[slot].Kill();
                        consumers[slot].Dispose();
                        consumers[slot] = new Consumer(QueuePath, lease: 3600);
                        pending[slot] = consumers[slot].NextClaimAsync(null);
                        killedItems.Add(claim.Id);
                        kills++;
                        continue;
                    }

                    Assert.Equal("completed\t" + claim.Id, await consumers[slot].SendAsync("complete"));
                    completions[claim.Id] = completions.TryGetValue(claim.Id, out int n) ? n + 1 : 1;
                    pending[slot] = consumers[slot].NextClaimAsync(null);
                }
            }
            finally
            {
                consumers.ForEach(c => c.Dispose());
            }

            Assert.Equal(Kills, kills);
            Assert.Equal(Items, completions.Count);
            Assert.All(completions.Values, n => Assert.Equal(1, n));
            Assert.All(killedItems, id => Assert.True(completions.ContainsKey(id), $"{id} was held by a killed consumer and never came back"));
            List<WorkItem> all = queue.List().ToList();
            Assert.Equal(Items, all.Count(i => i.State == WorkItemState.Completed));
            Assert.Equal(Items + Kills, all.Sum(i => i.Attempts));
        }

        [Fact]
        [Trait("Category", "Crash")]
        public async Task A_producer_killed_after_writing_its_item_but_before_placing_it_queues_nothing()
        {
            var queue = new FolderWorkQueue(QueuePath);
            queue.Enqueue(new WorkItemDraft("first", "1"));
            Process producer;

            // Holding the queue's lock stops the producer exactly between its durable temp file and the rename that queues it.
            using (ExclusiveFileLock.AcquireBeside(Path.Combine(QueuePath, "queue"), TimeSpan.FromSeconds(10)))
            {
                producer = CliProcess.Start(new[] { "queue", "add", "held", "--payload", "{\"big\":true}", "--queue", QueuePath });
                string tmp = Path.Combine(QueuePath, "tmp");
                await WaitUntil(() => Directory.GetFiles(tmp).Length == 1, "the producer's temp file to appear");
                producer.Kill();
                await producer.WaitForExitAsync();
            }

            producer.Dispose();
            Assert.Equal(new[] { "first" }, queue.List().Select(i => i.Id));
            Assert.Equal(1, queue.Count()[WorkItemState.Queued]);

            // The next claim's sweep removes the dead producer's temp file; the id stays free.
            Assert.Equal("first", queue.Claim(LeaseHolder.Current, TimeSpan.FromMinutes(1))!.Id);
            Assert.Empty(Directory.GetFiles(Path.Combine(QueuePath, "tmp")));
            Assert.Equal(WorkItemState.Queued, queue.Enqueue(new WorkItemDraft("held", "2")).State);
        }

        [Fact]
        [Trait("Category", "Crash")]
        public async Task Producers_killed_mid_stream_leave_each_item_fully_queued_or_not_at_all()
        {
            var random = new Random(1313);
            var acked = new HashSet<string>();
            var sent = new HashSet<string>();
            int next = 0;
            for (int run = 0; run < 20; run++)
            {
                using Process producer = CliProcess.Start(new[] { "queue", "add", "--stdin", "--queue", QueuePath });
                int ackBeforeKill = 1 + random.Next(10);
                Task feeding = Task.Run(() =>
                {
                    try
                    {
                        for (int i = 0; i < 40; i++)
                        {
                            string id = "p-" + System.Threading.Interlocked.Increment(ref next);
                            lock (sent)
                            {
                                sent.Add(id);
                            }

                            producer.StandardInput.WriteLine($"{{\"id\":\"{id}\",\"payload\":{{\"text\":\"{new string('x', 4096)}\"}}}}");
                        }

                        producer.StandardInput.Flush();
                    }
                    catch (IOException)
                    {
                        // Killed while we were still feeding it.
                    }
                });
                for (int a = 0; a < ackBeforeKill; a++)
                {
                    string? line = await producer.StandardOutput.ReadLineAsync().WaitAsync(LineTimeout);
                    Assert.NotNull(line);
                    acked.Add(line!.Split('\t')[0]);
                }

                // It is mid-stream: fed more lines than it acknowledged, so it is inside the next enqueue or about to be.
                producer.Kill();
                await producer.WaitForExitAsync();
                await feeding;
                string? rest;
                while ((rest = await producer.StandardOutput.ReadLineAsync()) != null)
                {
                    acked.Add(rest.Split('\t')[0]);
                }
            }

            // A claim sweeps the dead producers' temp files; then every item is whole, acknowledged ones all there, none twice.
            var queue = new FolderWorkQueue(QueuePath);
            queue.Claim(LeaseHolder.Current, TimeSpan.FromMinutes(1));
            List<WorkItem> all = queue.List().ToList();
            Assert.All(all, i => Assert.StartsWith("{\"text\":\"xxxx", i.PayloadJson));
            Assert.Equal(all.Count, all.Select(i => i.Id).Distinct().Count());
            Assert.Empty(acked.Except(all.Select(i => i.Id)));
            Assert.Empty(all.Select(i => i.Id).Except(sent));
            Assert.Empty(Directory.GetFiles(Path.Combine(QueuePath, "tmp")));
            _output.WriteLine($"{sent.Count} sent, {acked.Count} acknowledged, {all.Count} queued");
        }

        private static async Task WaitUntil(Func<bool> condition, string what)
        {
            var watch = Stopwatch.StartNew();
            while (!condition())
            {
                if (watch.Elapsed > LineTimeout)
                {
                    throw new TimeoutException("timed out waiting for " + what);
                }

                await Task.Delay(10);
            }
        }

        internal sealed record Claim(string Id, int Priority, long Sequence, int Attempts);

        /// <summary>One <c>agentstate queue claim --loop</c> process.</summary>
        internal sealed class Consumer : IDisposable
        {
            private readonly Process _process;
            private readonly Task<string> _errors;

            public Consumer(string queue, int lease)
            {
                _process = CliProcess.Start(new[] { "queue", "claim", "--loop", "--wait", "3600", "--lease", lease.ToString(System.Globalization.CultureInfo.InvariantCulture), "--queue", queue });
                _errors = _process.StandardError.ReadToEndAsync();
            }

            /// <summary>The next item it claimed; null when <paramref name="stop"/> ends first.</summary>
            public async Task<Claim?> NextClaimAsync(Task? stop)
            {
                Task<string?> reading = _process.StandardOutput.ReadLineAsync();
                Task timeout = Task.Delay(LineTimeout);
                Task first = await Task.WhenAny(new[] { reading, timeout, stop ?? Task.Delay(-1) });
                if (first != reading)
                {
                    if (first == timeout)
                    {
                        throw new TimeoutException("no claim within the timeout: " + Errors());
                    }

                    return null;
                }

                string line = await reading ?? throw new InvalidOperationException("the consumer ended: " + Errors());
                using JsonDocument json = JsonDocument.Parse(line);
                JsonElement root = json.RootElement;
                return new Claim(root.GetProperty("id").GetString()!, root.GetProperty("priority").GetInt32(), root.GetProperty("sequence").GetInt64(), root.GetProperty("attempts").GetInt32());
            }

            public async Task<string> SendAsync(string command)
            {
                await _process.StandardInput.WriteLineAsync(command);
                await _process.StandardInput.FlushAsync();
                return await _process.StandardOutput.ReadLineAsync().WaitAsync(LineTimeout) ?? "(ended: " + Errors() + ")";
            }

            public void Kill()
            {
                _process.Kill();
                _process.WaitForExit(); // Reaped: a zombie would still answer kill(pid, 0).
            }

            public string Errors() => _errors.IsCompleted ? _errors.Result : "(still running)";

            public void Dispose()
            {
                try
                {
                    if (!_process.HasExited)
                    {
                        _process.Kill();
                        _process.WaitForExit();
                    }
                }
                finally
                {
                    _process.Dispose();
                }
            }
        }
    }
}
