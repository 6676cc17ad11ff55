using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AgentState.Agents;
using AgentState.Queue;
using AgentState.Stores;
using AgentState.Tests.Support;
using Npgsql;
using Xunit;

namespace AgentState.Tests.Postgres
{
    /// <summary>What only the PostgreSQL work queue has: its schema step, LISTEN/NOTIFY, many clients on their own connections, and a server restart.</summary>
    [Collection(PostgresCollection.Name)]
    public sealed class PostgresWorkQueueTests
    {
        private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
        private readonly PostgresServerFixture _postgres;

        public PostgresWorkQueueTests(PostgresServerFixture postgres) => _postgres = postgres;

        private static LeaseHolder Holder(int pid) => new LeaseHolder(pid, null, LeaseHolder.ThisHost);

        private static WorkItemDraft Draft(string id) => new WorkItemDraft(id, "{\"n\":1}");

        private long Scalar(string sql, params (string Name, object Value)[] parameters)
        {
            using var connection = new NpgsqlConnection(_postgres.Server.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            foreach ((string name, object value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            return Convert.ToInt64(command.ExecuteScalar());
        }

        [PostgresFact]
        public void A_schema_of_version_1_is_migrated_for_the_queue_and_keeps_its_agents()
        {
            using var t = new QueueUnderTest(StoreUnderTest.Postgres, _postgres);
            string schema = t.Locator.Substring(t.Locator.LastIndexOf('=') + 1);
            IAgentStateStore agents = AgentStores.Postgres().OpenAgentStates(_postgres.Server.ConnectionString, new StoreOpenOptions { Schema = schema, Initialize = true });
            agents.Create(new AgentStateDraft("a1", "n", "L1"));
            Scalar($"DROP TABLE {schema}.work_queue; DROP FUNCTION {schema}.work_queue_notify(); DELETE FROM {schema}.schema_version WHERE version = 2; SELECT 0");

            IWorkQueue withoutFlag = WorkQueues.Open(StoreLocator.Parse(t.Locator, "/"), new StoreOpenOptions());
            var refused = Assert.Throws<StoreSchemaException>(() => withoutFlag.Enqueue(Draft("job")));
            Assert.Contains("version 1", refused.Message);
            Assert.Contains("agentstate db init", refused.Message);

            Assert.Equal("job", t.Open().Enqueue(Draft("job")).Id);
            Assert.Equal(2, Scalar($"SELECT max(version) FROM {schema}.schema_version"));
            Assert.NotNull(agents.TryGet("a1"));
            Assert.Equal(1, Scalar("SELECT count(*) FROM pg_indexes WHERE schemaname = @s AND indexname = 'work_queue_claim_order' AND indexdef LIKE '%WHERE (state = ''queued''::text)%'", ("s", schema)));
        }

        [PostgresFact]
        public async Task A_waiting_claim_wakes_on_an_enqueue_from_another_connection()
        {
            using var t = new QueueUnderTest(StoreUnderTest.Postgres, _postgres);
            t.Queue.Enqueue(Draft("first")); // creates the schema
            WorkItem first = t.Queue.Claim(Holder(1), Lease)!;
            t.Queue.Complete(first.Id, first.LeaseToken!);
            string client = "waiter" + Guid.NewGuid().ToString("n").Substring(0, 8);
            IWorkQueue waiter = t.Open(client);

            // Ten minutes: nothing is due and no lease runs out, so only the notification can end the wait early.
            Task<WorkItem?> claim = Task.Run(() => waiter.Claim(new LeaseHolder(2, null, "0badc0de"), Lease, TimeSpan.FromMinutes(10)));
            Assert.True(WaitFor(() => Scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = @a AND query LIKE 'LISTEN%'", ("a", client)) == 1, TimeSpan.FromMinutes(2)),
                "the waiting claim never LISTENed on its own connection");
            Assert.False(claim.IsCompleted, "the claim returned before anything was queued");

            t.Open("producer").Enqueue(Draft("wake"));

            Assert.True(await Task.WhenAny(claim, Task.Delay(TimeSpan.FromMinutes(3))) == claim, "the waiting claim did not wake on the enqueue's notification");
            Assert.Equal("wake", (await claim)!.Id);
            Assert.True(WaitFor(() => Scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = @a AND query LIKE 'LISTEN%' AND state = 'idle'", ("a", client)) == 0, TimeSpan.FromMinutes(1)),
                "the listener connection went back to the pool still listening");
        }

        [PostgresFact]
        public async Task Cancelling_a_waiting_claim_ends_it()
        {
            using var t = new QueueUnderTest(StoreUnderTest.Postgres, _postgres);
            t.Queue.Enqueue(Draft("first"));
            t.Queue.Claim(Holder(1), Lease);
            using var cancel = new CancellationTokenSource();
            string client = "cancel" + Guid.NewGuid().ToString("n").Substring(0, 8);

            Task<WorkItem?> claim = Task.Run(() => t.Open(client).Claim(Holder(2), Lease, TimeSpan.FromMinutes(10), cancel.Token));
            Assert.True(WaitFor(() => Scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = @a AND query LIKE 'LISTEN%'", ("a", client)) == 1, TimeSpan.FromMinutes(2)),
                "the waiting claim never LISTENed");
            cancel.Cancel();

            Assert.True(await Task.WhenAny(claim, Task.Delay(TimeSpan.FromMinutes(3))) == claim, "the cancelled claim went on waiting");
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => claim);
        }

        [PostgresFact]
        public void An_item_whose_record_is_not_an_items_content_becomes_a_dead_letter_and_the_next_is_claimed()
        {
            using var t = new QueueUnderTest(StoreUnderTest.Postgres, _postgres);
            string schema = t.Locator.Substring(t.Locator.LastIndexOf('=') + 1);
            t.Queue.Enqueue(Draft("broken"));
            t.Queue.Enqueue(Draft("fine"));
            Scalar($"UPDATE {schema}.work_queue SET doc = '\"garbage\"' WHERE item_id = 'broken'; SELECT 0");

            Assert.Equal("fine", t.Queue.Claim(Holder(100), Lease)!.Id);

            WorkItem dead = t.Queue.List(WorkItemState.DeadLetter, readContent: false).Single();
            Assert.Equal("broken", dead.Id);
            Assert.Contains("is not a work item", (string)Scalar2($"SELECT last_error FROM {schema}.work_queue WHERE item_id = 'broken'"));
            Assert.Equal(1, t.Queue.Count()[WorkItemState.Claimed]);
        }

        private object Scalar2(string sql)
        {
            using var connection = new NpgsqlConnection(_postgres.Server.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            return command.ExecuteScalar()!;
        }

        [PostgresFact]
        public void Producers_racing_for_the_last_places_never_overshoot_the_capacity()
        {
            using var t = new QueueUnderTest(StoreUnderTest.Postgres, _postgres);
            t.Queue.Enqueue(Draft("seed"));
            int placed = 0, full = 0;
            Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, producer =>
            {
                IWorkQueue mine = t.Open("producer" + producer);
                for (int n = 0; n < 20; n++)
                {
                    try
                    {
                        mine.Enqueue(Draft($"p{producer}-{n}"), capacity: 50);
                        Interlocked.Increment(ref placed);
                    }
                    catch (WorkQueueFullException)
                    {
                        Interlocked.Increment(ref full);
                    }
                }
            });

            Assert.Equal(49, placed);
            Assert.Equal(160 - 49, full);
            Assert.Equal(50, t.Queue.Count()[WorkItemState.Queued]);
        }

        [PostgresFact]
        public void Eight_consumers_and_four_producers_complete_ten_thousand_items_each_exactly_once()
        {
            using var t = new QueueUnderTest(StoreUnderTest.Postgres, _postgres);
            const int Producers = 4, Consumers = 8, PerProducer = 2500, Total = Producers * PerProducer;
            t.Queue.Enqueue(Draft("abandoned")); // the first claimed: by a consumer that dies holding it
            LeaseHolder gone = ExitedProcess();
            WorkItem abandoned = t.OpenReal("dying").Claim(gone, Lease)!;
            Assert.Equal("abandoned", abandoned.Id);

            var completions = new ConcurrentDictionary<string, int>();
            int completed = 0;
            var failures = new ConcurrentQueue<Exception>();
            Task[] producers = Enumerable.Range(0, Producers).Select(p => Task.Factory.StartNew(() =>
            {
                IWorkQueue mine = t.OpenReal("producer" + p);
                for (int n = 0; n < PerProducer; n++)
                {
                    mine.Enqueue(Draft($"p{p}-{n}"));
                }
            }, TaskCreationOptions.LongRunning)).ToArray();
            Task[] consumers = Enumerable.Range(0, Consumers).Select(c => Task.Factory.StartNew(() =>
            {
                IWorkQueue mine = t.OpenReal("consumer" + c);
                LeaseHolder me = LeaseHolder.Current;
                try
                {
                    while (Volatile.Read(ref completed) < Total + 1)
                    {
                        if (mine.Claim(me, Lease, TimeSpan.FromSeconds(1)) is WorkItem item)
                        {
                            mine.Complete(item.Id, item.LeaseToken!);
                            completions.AddOrUpdate(item.Id, 1, (_, n) => n + 1);
                            Interlocked.Increment(ref completed);
                        }
                    }
                }
                catch (Exception ex)
                {
                    failures.Enqueue(ex);
                    throw;
                }
            }, TaskCreationOptions.LongRunning)).ToArray();

            Task.WaitAll(producers);
            bool finished = Task.WaitAll(consumers, TimeSpan.FromMinutes(10));

            Assert.True(failures.IsEmpty, "a consumer failed: " + string.Join("; ", failures.Select(f => f.Message)));
            Assert.True(finished, $"the consumers completed {completed} of {Total + 1} items in 10 minutes");
            Assert.Equal(Total + 1, completions.Count);
            var twice = completions.Where(pair => pair.Value != 1).Select(pair => pair.Key).ToList();
            Assert.True(twice.Count == 0, $"{twice.Count} items were completed more than once, e.g. {string.Join(", ", twice.Take(5))}");
            Assert.Equal(Total + 1, t.Queue.Count()[WorkItemState.Completed]);
            WorkItem returned = t.Queue.Get("abandoned");
            Assert.Equal(2, returned.Attempts);
            Assert.Contains($"process {gone.ProcessId}, died", returned.LastError);
        }

        [PostgresFact]
        public void A_server_restart_while_producers_and_consumers_run_loses_nothing_acknowledged()
        {
            using var server = new PostgresServer();
            string schema = "r" + Guid.NewGuid().ToString("n").Substring(0, 16);
            string locator = server.ConnectionString + ";Schema=" + schema;
            AgentStores.Postgres().Initialize(server.ConnectionString, new StoreOpenOptions { Schema = schema });

            // No retry window: every failure reaches the client, which must be told whether its change may have happened.
            IWorkQueue Client(string name) => WorkQueues.Open(StoreLocator.Parse(locator + ";Application Name=" + name, "/"), new StoreOpenOptions { RetryFor = TimeSpan.Zero });

            var enqueued = new ConcurrentBag<string>();
            var notEnqueued = new ConcurrentBag<string>();
            var completedIds = new ConcurrentBag<string>();
            var errors = new ConcurrentQueue<StoreUnavailableException>();
            var unexpected = new ConcurrentQueue<Exception>();
            int restarted = 0, enqueuedAfter = 0, completedAfter = 0;
            using var stop = new ManualResetEventSlim();
            using var warm = new CountdownEvent(300);

            void Run(Action step)
            {
                while (!stop.IsSet)
                {
                    try
                    {
                        step();
                    }
                    catch (StoreUnavailableException ex)
                    {
                        errors.Enqueue(ex);
                        stop.Wait(20); // a restarting server is not hammered
                    }
                    catch (Exception ex)
                    {
                        unexpected.Enqueue(ex);
                        return;
                    }
                }
            }

            Task[] producers = Enumerable.Range(0, 2).Select(p => Task.Factory.StartNew(() =>
            {
                IWorkQueue queue = Client("producer" + p);
                int n = 0;
                Run(() =>
                {
                    string id = $"p{p}-{n++}";
                    try
                    {
                        queue.Enqueue(Draft(id));
                    }
                    catch (StoreUnavailableException ex) when (!ex.OutcomeUnknown)
                    {
                        notEnqueued.Add(id);
                        throw;
                    }

                    enqueued.Add(id);
                    if (!warm.IsSet)
                    {
                        warm.Signal();
                    }

                    if (Volatile.Read(ref restarted) == 1)
                    {
                        Interlocked.Increment(ref enqueuedAfter);
                    }
                });
            }, TaskCreationOptions.LongRunning)).ToArray();
            Task[] consumers = Enumerable.Range(0, 4).Select(c => Task.Factory.StartNew(() =>
            {
                IWorkQueue queue = Client("consumer" + c);
                Run(() =>
                {
                    if (queue.Claim(LeaseHolder.Current, Lease, TimeSpan.FromMilliseconds(500)) is WorkItem item)
                    {
                        queue.Complete(item.Id, item.LeaseToken!);
                        completedIds.Add(item.Id);
                        if (Volatile.Read(ref restarted) == 1)
                        {
                            Interlocked.Increment(ref completedAfter);
                        }
                    }
                });
            }, TaskCreationOptions.LongRunning)).ToArray();

            Assert.True(warm.Wait(TimeSpan.FromMinutes(2)), "the producers never got going");
            server.Restart();
            Volatile.Write(ref restarted, 1);
            bool recovered = WaitFor(() => Volatile.Read(ref enqueuedAfter) >= 100 && Volatile.Read(ref completedAfter) >= 100, TimeSpan.FromMinutes(3));
            stop.Set();
            Task.WaitAll(producers.Concat(consumers).ToArray());

            Assert.True(unexpected.IsEmpty, "a client failed with something other than an unavailable store: " + string.Join("; ", unexpected.Select(e => e.GetType().Name + ": " + e.Message)));
            Assert.True(recovered, $"after the restart only {enqueuedAfter} enqueues and {completedAfter} completes went through");
            Assert.True(errors.Count > 0, "no client was told about the restart");
            Assert.All(errors, e => Assert.Contains("PostgreSQL store", e.Message));

            Dictionary<string, WorkItem> items = Client("checker").List(readContent: false).ToDictionary(i => i.Id);
            var lost = enqueued.Where(id => !items.ContainsKey(id)).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} of {enqueued.Count} acknowledged enqueues are missing after the restart, e.g. {string.Join(", ", lost.Take(5))}");
            var undone = completedIds.Where(id => items[id].State != WorkItemState.Completed).ToList();
            Assert.True(undone.Count == 0, $"{undone.Count} of {completedIds.Count} acknowledged completes are not completed after the restart, e.g. {string.Join(", ", undone.Take(5))}");
            var phantom = notEnqueued.Where(items.ContainsKey).ToList();
            Assert.True(phantom.Count == 0, $"{phantom.Count} enqueues reported as certainly not done are there, e.g. {string.Join(", ", phantom.Take(5))}");
        }

        /// <summary>The holder of a process that has exited: what a consumer killed while holding a claim leaves behind.</summary>
        private static LeaseHolder ExitedProcess()
        {
            using Process child = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
            LeaseHolder holder = LeaseHolder.ForProcess(child.Id);
            child.WaitForExit();
            return holder;
        }

        /// <summary>Looks at a condition until it holds or <paramref name="limit"/> passes (a bound on failure, never a timing assertion).</summary>
        private static bool WaitFor(Func<bool> condition, TimeSpan limit)
        {
            var clock = Stopwatch.StartNew();
            while (!condition())
            {
                if (clock.Elapsed > limit)
                {
                    return false;
                }

                Thread.Sleep(20);
            }

            return true;
        }
    }
}
