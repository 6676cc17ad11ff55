using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using AgentState.Agents;
using AgentState.IO;
using AgentState.Json;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Postgres
{
    /// <summary>
    /// One set of store tests, run against every backend this machine has (the folder always, PostgreSQL where a
    /// server can be started): the same calls must give the same records, errors and answers.
    /// </summary>
    [Collection(PostgresCollection.Name)]
    public sealed class AgentStoreBackendTests
    {
        private readonly PostgresServerFixture _postgres;

        public AgentStoreBackendTests(PostgresServerFixture postgres) => _postgres = postgres;

        public static IEnumerable<object[]> Backends() => StoreUnderTest.Backends();

        private StoreUnderTest Open(string backend) => new StoreUnderTest(backend, _postgres);

        private static AgentStateDraft Draft(string id, AgentStatus status = AgentStatus.Pending, string type = "L2") =>
            new AgentStateDraft(id, "Agent " + id, type) { Status = status, Model = "haiku", Metadata = new OrderedJsonObject { ["shard"] = 3L } };

        [Theory]
        [MemberData(nameof(Backends))]
        public void A_created_agent_reads_back_with_the_seeds_fields_and_the_stores_stamps(string backend)
        {
            using StoreUnderTest t = Open(backend);
            AgentStateRecord created = t.Store.Create(Draft("L2.A.1", AgentStatus.Running));
            AgentStateRecord read = t.Store.TryGet("L2.A.1")!;

            Assert.Equal("L2.A.1", read.AgentId);
            Assert.Equal("Agent L2.A.1", read.Name);
            Assert.Equal("L2", read.Type);
            Assert.Equal("haiku", read.Model);
            Assert.Equal(AgentStatus.Running, read.Status);
            Assert.Equal(0.0, read.Progress);
            Assert.Equal(t.Time, read.CreatedAt);
            Assert.Equal(t.Time, read.StartedAt);
            Assert.Equal(t.Time, read.LastUpdated);
            Assert.Equal(3L, read.Metadata!["shard"]);
            Assert.Equal(t.Store.Location, read.Root);
            Assert.Equal(created.Fields.Select(f => f.Key).OrderBy(k => k, StringComparer.Ordinal), read.Fields.Select(f => f.Key).OrderBy(k => k, StringComparer.Ordinal));
            Assert.Null(t.Store.TryGet("L2.A.2"));
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void Creating_an_existing_agent_fails_and_leaves_it_unless_overwriting(string backend)
        {
            using StoreUnderTest t = Open(backend);
            t.Store.Create(Draft("a1"));
            t.Store.Update("a1", new AgentStateChange { Progress = 40 });

            var exists = Assert.Throws<AgentStateExistsException>(() => t.Store.Create(Draft("a1")));
            Assert.Equal("a1", exists.AgentId);
            Assert.Equal(40.0, t.Store.TryGet("a1")!.Progress);

            t.Store.Create(new AgentStateDraft("a1", "Renamed", "L3"), overwrite: true);
            AgentStateRecord replaced = t.Store.TryGet("a1")!;
            Assert.Equal("Renamed", replaced.Name);
            Assert.Equal(0.0, replaced.Progress);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void An_update_changes_what_it_names_merges_metadata_and_stamps_last_updated(string backend)
        {
            using StoreUnderTest t = Open(backend);
            t.Store.Create(Draft("a1"));
            t.Time = t.Time.AddMinutes(5);

            AgentStateRecord updated = t.Store.Update("a1", new AgentStateChange
            {
                Status = AgentStatus.Running, Progress = 12.5, Message = "halfway there", Metadata = new OrderedJsonObject { ["step"] = "build" },
            });
            AgentStateRecord read = t.Store.TryGet("a1")!;

            foreach (AgentStateRecord record in new[] { updated, read })
            {
                Assert.Equal(AgentStatus.Running, record.Status);
                Assert.Equal(12.5, record.Progress);
                Assert.Equal("halfway there", record.ProgressMessage);
                Assert.Equal(t.Time, record.StartedAt);
                Assert.Equal(t.Time, record.LastUpdated);
                Assert.Equal(t.Time.AddMinutes(-5), record.CreatedAt);
                Assert.Equal(3L, record.Metadata!["shard"]);
                Assert.Equal("build", record.Metadata!["step"]);
            }
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void Finishing_stamps_its_time_and_leaving_a_finished_status_needs_force(string backend)
        {
            using StoreUnderTest t = Open(backend);
            t.Store.Create(Draft("a1", AgentStatus.Running));
            t.Time = t.Time.AddHours(1);
            t.Store.Update("a1", new AgentStateChange { Status = AgentStatus.Failed, ErrorMessage = "out of memory" });

            AgentStateRecord failed = t.Store.TryGet("a1")!;
            Assert.Equal(t.Time, failed.FailedAt);
            Assert.Equal("out of memory", failed.Error);

            var refused = Assert.Throws<AgentTransitionException>(() => t.Store.Update("a1", new AgentStateChange { Status = AgentStatus.Running, Progress = 50 }));
            Assert.Equal("failed", refused.From);
            Assert.Equal(AgentStatus.Failed, t.Store.TryGet("a1")!.Status);
            Assert.Equal(0.0, t.Store.TryGet("a1")!.Progress);

            t.Store.Update("a1", new AgentStateChange { Status = AgentStatus.Running, Force = true });
            Assert.Equal(AgentStatus.Running, t.Store.TryGet("a1")!.Status);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void Bad_input_is_refused_before_anything_changes(string backend)
        {
            using StoreUnderTest t = Open(backend);
            t.Store.Create(Draft("a1"));

            Assert.Throws<InvalidInputException>(() => t.Store.Update("a1", new AgentStateChange { Progress = 101, Message = "never" }));
            Assert.Throws<InvalidInputException>(() => t.Store.Update("a1", new AgentStateChange { ProcessId = 0, Message = "never" }));
            Assert.Throws<InvalidInputException>(() => t.Store.Create(new AgentStateDraft("a2", "n", "L2") { ProcessId = -4 }));
            Assert.ThrowsAny<ArgumentException>(() => t.Store.Create(new AgentStateDraft("../evil", "n", "L2")));
            Assert.Throws<AgentStateNotFoundException>(() => t.Store.Update("nobody", new AgentStateChange { Progress = 1 }));

            Assert.Null(t.Store.TryGet("a1")!.ProgressMessage);
            Assert.Equal(new[] { "a1" }, t.Store.Scan().Select(e => e.Record!.AgentId));
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void Fields_this_module_does_not_know_survive_an_update(string backend)
        {
            using StoreUnderTest t = Open(backend);
            t.Store.Create(Draft("a1"));
            t.PlantField("a1", "x_coordinator", "{\"shard\": 3, \"weights\": [0.5, 0.001]}");

            t.Store.Update("a1", new AgentStateChange { Progress = 30 });

            var kept = (OrderedJsonObject)t.Store.TryGet("a1")!.Fields["x_coordinator"]!;
            Assert.Equal(3L, kept["shard"]);
            Assert.Equal(2, ((IList<object?>)kept["weights"]!).Count);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void Remove_deletes_only_what_its_condition_allows_under_the_lock(string backend)
        {
            using StoreUnderTest t = Open(backend);
            t.Store.Create(Draft("a1"));
            t.Store.Create(Draft("a2"));

            Assert.False(t.Store.Remove("a1", record => record.Status == AgentStatus.Completed));
            Assert.NotNull(t.Store.TryGet("a1"));
            Assert.True(t.Store.Remove("a1", record => record.Status == AgentStatus.Pending));
            Assert.Null(t.Store.TryGet("a1"));
            Assert.False(t.Store.Remove("a1"));
            Assert.True(t.Store.Remove("a2"));
            Assert.Empty(t.Store.Scan());
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void Scan_lists_agents_in_the_ordinal_order_of_their_file_names_through_the_id_filter(string backend)
        {
            using StoreUnderTest t = Open(backend);
            foreach (string id in new[] { "b", "B", "a.10", "a.9", "a" })
            {
                t.Store.Create(Draft(id));
            }

            // "a.9.json" sorts before "a.json": the folder's order, which the database keeps too.
            Assert.Equal(new[] { "B", "a.10", "a.9", "a", "b" }, t.Store.Scan().Select(e => e.Record!.AgentId));
            Assert.Equal(new[] { "a.10", "a.9" }, t.Store.Scan(id => id.StartsWith("a.", StringComparison.Ordinal)).Select(e => e.Record!.AgentId));
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void Incomplete_agents_come_with_staleness_and_this_hosts_process_liveness(string backend)
        {
            using StoreUnderTest t = Open(backend);
            int self = Environment.ProcessId;
            int dead = Processes.DeadPid();
            t.Store.Create(new AgentStateDraft("live", "n", "L1") { Status = AgentStatus.Running, ProcessId = self });
            t.Store.Create(new AgentStateDraft("gone", "n", "L2") { Status = AgentStatus.Running, ProcessId = dead });
            t.Store.Create(Draft("done", AgentStatus.Completed));
            t.Time = t.Time.AddMinutes(10);
            t.Store.Create(Draft("fresh", AgentStatus.Spawning));

            var found = t.Store.FindIncomplete(TimeSpan.FromMinutes(5)).Select(x => x.Agent!).ToDictionary(a => a.AgentId);

            Assert.Equal(new[] { "fresh", "gone", "live" }, found.Keys.OrderBy(k => k, StringComparer.Ordinal));
            Assert.True(found["live"].ProcessAlive);
            Assert.False(found["gone"].ProcessAlive);
            Assert.False(found["fresh"].ProcessAlive);
            Assert.True(found["live"].Stale);
            Assert.False(found["fresh"].Stale);
            Assert.Equal(TimeSpan.FromMinutes(10), found["gone"].SinceUpdate);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void Finished_agents_older_than_the_limit_are_found_for_cleanup_and_no_others(string backend)
        {
            using StoreUnderTest t = Open(backend);
            t.Store.Create(Draft("old-done", AgentStatus.Completed));
            t.Store.Create(Draft("old-running", AgentStatus.Running));
            t.Time = t.Time.AddDays(3);
            t.Store.Create(Draft("new-done", AgentStatus.Cancelled));
            t.Time = t.Time.AddHours(1);

            Assert.Equal(new[] { "old-done" }, t.Store.FindFinishedBefore(TimeSpan.FromDays(1)).Select(e => e.Record!.AgentId));
            Assert.Equal(new[] { "new-done", "old-done" }, t.Store.FindFinishedBefore(TimeSpan.FromMinutes(30)).Select(e => e.Record!.AgentId));
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void The_recovery_summary_counts_by_status_and_type_and_names_the_oldest_incomplete(string backend)
        {
            using StoreUnderTest t = Open(backend);
            t.Store.Create(Draft("done", AgentStatus.Completed));
            t.Time = t.Time.AddMinutes(1);
            t.Store.Create(Draft("first", AgentStatus.Running, "L1"));
            t.Store.Create(Draft("also-first", AgentStatus.Pending, "L1"));
            t.Time = t.Time.AddMinutes(1);
            t.Store.Create(Draft("second", AgentStatus.Running, "L2"));

            AgentRecoverySummary summary = t.Store.Summarize();

            Assert.Equal(4, summary.Total);
            Assert.Equal(3, summary.Incomplete);
            Assert.Equal(new Dictionary<string, int> { ["completed"] = 1, ["pending"] = 1, ["running"] = 2 }, summary.ByStatus);
            Assert.Equal(new Dictionary<string, int> { ["pending"] = 1, ["running"] = 2 }, summary.IncompleteByStatus);
            Assert.Equal(new Dictionary<string, int> { ["L1"] = 2, ["L2"] = 1 }, summary.IncompleteByType);
            Assert.Equal("also-first", summary.OldestIncomplete!.AgentId);
            Assert.Equal(t.Store.Location, summary.Root);
            Assert.Contains("Total Incomplete Agents: 3", summary.ToReport());
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void A_store_that_was_never_created_is_an_error_to_read_not_an_empty_answer(string backend)
        {
            using StoreUnderTest t = Open(backend);
            IAgentStateStore missing = t.OpenMissing();

            Assert.False(missing.Exists);
            Assert.Throws<AgentStoreNotFoundException>(() => missing.ThrowIfMissing());
            Assert.Throws<AgentStoreNotFoundException>(() => missing.Scan().ToList());
            Assert.Throws<AgentStoreNotFoundException>(() => missing.Summarize());
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void Eight_clients_updating_one_agent_200_times_each_lose_nothing(string backend)
        {
            using StoreUnderTest t = Open(backend);
            t.Store.Create(Draft("shared", AgentStatus.Running));
            const int Clients = 8, Updates = 200;

            // Each client is a store of its own (for PostgreSQL, its own connection pool); each update adds its own key, so
            // an update lost between a read and a write would leave a key missing.
            Parallel.For(0, Clients, new ParallelOptions { MaxDegreeOfParallelism = Clients }, client =>
            {
                IAgentStateStore store = t.Open("client" + client, () => DateTimeOffset.Now);
                for (int n = 0; n < Updates; n++)
                {
                    store.Update("shared", new AgentStateChange { Metadata = new OrderedJsonObject { [$"c{client}.{n}"] = (long)n } });
                }
            });

            OrderedJsonObject metadata = t.Store.TryGet("shared")!.Metadata!;
            var missing = Enumerable.Range(0, Clients).SelectMany(c => Enumerable.Range(0, Updates).Select(n => $"c{c}.{n}")).Where(k => !metadata.ContainsKey(k)).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} updates were lost, e.g. {string.Join(", ", missing.Take(5))}");
            Assert.Equal(Clients * Updates + 1, metadata.Count);
        }
    }
}
