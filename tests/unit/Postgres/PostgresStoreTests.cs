using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AgentState.Agents;
using AgentState.Json;
using AgentState.Postgres;
using AgentState.Stores;
using AgentState.Tests.Support;
using Npgsql;
using Xunit;

namespace AgentState.Tests.Postgres
{
    /// <summary>What only the PostgreSQL backend has: its schema, liveness across hosts, its address forms and its failures.</summary>
    [Collection(PostgresCollection.Name)]
    public sealed class PostgresStoreTests
    {
        private readonly PostgresServerFixture _postgres;

        public PostgresStoreTests(PostgresServerFixture postgres) => _postgres = postgres;

        private static string NewSchema() => "t" + Guid.NewGuid().ToString("n").Substring(0, 16);

        private IStoreBackend Backend => AgentStores.Postgres();

        private int Scalar(string sql)
        {
            using var connection = new NpgsqlConnection(_postgres.Server.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            return Convert.ToInt32(command.ExecuteScalar());
        }

        [PostgresFact]
        public void Db_init_creates_a_versioned_schema_once_and_then_has_nothing_to_do()
        {
            string schema = NewSchema();
            var options = new StoreOpenOptions { Schema = schema };

            string first = Backend.Initialize(_postgres.Server.ConnectionString, options);
            string second = Backend.Initialize(_postgres.Server.ConnectionString, options);

            Assert.StartsWith($"Created the schema '{schema}' at version 2.", first);
            Assert.StartsWith($"The schema '{schema}' is at version 2 already; nothing to do.", second);
            Assert.Equal(2, Scalar($"SELECT count(*) FROM {schema}.schema_version"));
            Assert.Equal(1, Scalar($"SELECT count(*) FROM pg_indexes WHERE schemaname = '{schema}' AND indexname = 'agent_state_liveness'"));
        }

        [PostgresFact]
        public void A_schema_newer_than_the_module_is_refused_and_left_alone()
        {
            string schema = NewSchema();
            Backend.Initialize(_postgres.Server.ConnectionString, new StoreOpenOptions { Schema = schema });
            Scalar($"INSERT INTO {schema}.schema_version (version, description) VALUES (99, 'from the future') RETURNING version");

            IAgentStateStore store = Backend.OpenAgentStates(_postgres.Server.ConnectionString, new StoreOpenOptions { Schema = schema, Initialize = true });
            var refused = Assert.Throws<StoreSchemaException>(() => store.Scan().ToList());

            Assert.Contains("version 99, newer than this module knows (2)", refused.Message);
            Assert.Equal(3, Scalar($"SELECT count(*) FROM {schema}.schema_version"));
        }

        [PostgresFact]
        public void Concurrent_first_uses_with_the_flag_create_the_schema_once()
        {
            string schema = NewSchema();
            Parallel.For(0, 6, new ParallelOptions { MaxDegreeOfParallelism = 6 }, i =>
                Backend.OpenAgentStates(_postgres.Server.ConnectionString + ";Application Name=init" + i, new StoreOpenOptions { Schema = schema, Initialize = true })
                    .Create(new AgentStateDraft("a" + i, "n", "L1")));

            Assert.Equal(2, Scalar($"SELECT count(*) FROM {schema}.schema_version"));
            Assert.Equal(6, Scalar($"SELECT count(*) FROM {schema}.agent_state"));
        }

        [PostgresFact]
        public void An_agent_recorded_on_another_host_is_alive_by_its_heartbeat_not_by_a_local_pid()
        {
            using var t = new StoreUnderTest(StoreUnderTest.Postgres, _postgres);
            int self = Environment.ProcessId;
            t.Store.Create(new AgentStateDraft("there-fresh", "n", "L1") { Status = AgentStatus.Running, ProcessId = self });
            t.Store.Create(new AgentStateDraft("there-silent", "n", "L1") { Status = AgentStatus.Running, ProcessId = self });
            t.Store.Create(new AgentStateDraft("here", "n", "L1") { Status = AgentStatus.Running, ProcessId = self });

            // The same pid as this test process, but recorded on another machine: this machine's process says nothing about it.
            t.PlantField("there-fresh", "host", "\"coordinator-2\"");
            t.PlantField("there-silent", "host", "\"coordinator-2\"");
            t.Sql("UPDATE {schema}.agent_state SET host = 'coordinator-2' WHERE agent_id LIKE 'there-%'");
            t.Sql("UPDATE {schema}.agent_state SET heartbeat = now() - interval '5 minutes' WHERE agent_id = 'there-silent'");

            var found = t.Store.FindIncomplete().ToDictionary(x => x.Agent!.AgentId, x => x.Agent!);

            Assert.True(found["here"].ProcessAlive);
            Assert.True(found["there-fresh"].ProcessAlive);
            Assert.False(found["there-silent"].ProcessAlive);
        }

        [PostgresFact]
        public void Uri_and_keyword_forms_name_the_same_store_and_the_location_carries_no_password()
        {
            PostgresAddress fromUri = PostgresAddress.Parse("postgresql://ops:s%3Acret@db.example:6543/agents?schema=fleet&sslmode=require");
            PostgresAddress fromKeywords = PostgresAddress.Parse("Host=db.example;Port=6543;Username=ops;Password=s:cret;Database=agents;Schema=fleet;SSL Mode=Require");

            foreach (PostgresAddress address in new[] { fromUri, fromKeywords })
            {
                Assert.Equal("db.example", address.Connection.Host);
                Assert.Equal(6543, address.Connection.Port);
                Assert.Equal("ops", address.Connection.Username);
                Assert.Equal("s:cret", address.Connection.Password);
                Assert.Equal("agents", address.Connection.Database);
                Assert.Equal(SslMode.Require, address.Connection.SslMode);
                Assert.Equal("fleet", address.Schema);
                Assert.Equal("postgresql://ops@db.example:6543/agents?schema=fleet", address.Location);
            }

            Assert.True(StoreLocator.IsPostgres("postgres://x/y"));
            Assert.True(StoreLocator.IsPostgres("Database=a; Host=b"));
            Assert.False(StoreLocator.IsPostgres("/srv/agents/Host=old"));
            Assert.Throws<ArgumentException>(() => PostgresAddress.Parse("Host=x;Schema=Robert'); DROP TABLE x;--"));
        }

        [PostgresFact]
        public void An_unreachable_server_is_a_clear_error_that_says_nothing_was_changed()
        {
            string nowhere = $"Host=/tmp/as-pg-nowhere-{Guid.NewGuid():n};Port=5432;Username=postgres;Database=postgres";
            IAgentStateStore store = Backend.OpenAgentStates(nowhere, new StoreOpenOptions { Initialize = true, RetryFor = TimeSpan.FromMilliseconds(300) });

            var failed = Assert.Throws<StoreUnavailableException>(() => store.Create(new AgentStateDraft("a1", "n", "L1")));

            Assert.False(failed.OutcomeUnknown);
            Assert.Contains("Cannot open the store: the PostgreSQL store 'postgresql://postgres@:5432/postgres?schema=agentstate&host=", failed.Message);
            Assert.EndsWith("Nothing was changed.", failed.Message);
        }

        [PostgresFact]
        public void A_row_lock_held_past_the_lock_timeout_is_RecordLocked_and_nothing_changes()
        {
            string schema = NewSchema();
            var options = new StoreOpenOptions { Schema = schema, Initialize = true, LockTimeout = TimeSpan.FromMilliseconds(200) };
            IAgentStateStore store = Backend.OpenAgentStates(_postgres.Server.ConnectionString, options);
            store.Create(new AgentStateDraft("held", "n", "L1"));

            // Another client holds the row, as an update on another host would while it works.
            using var other = new NpgsqlConnection(_postgres.Server.ConnectionString);
            other.Open();
            using (NpgsqlTransaction holding = other.BeginTransaction())
            {
                using (var hold = new NpgsqlCommand($"SELECT 1 FROM {schema}.agent_state WHERE agent_id = 'held' FOR UPDATE", other, holding))
                {
                    hold.ExecuteNonQuery();
                }

                var locked = Assert.Throws<RecordLockedException>(() => store.Update("held", new AgentStateChange { Progress = 70 }));
                Assert.Equal("held", locked.AgentId);
                Assert.EndsWith("gave up after 0.2 s. Nothing was changed.", locked.Message);
                Assert.Throws<RecordLockedException>(() => store.Remove("held"));
            }

            AgentStateRecord after = store.TryGet("held") ?? throw new Xunit.Sdk.XunitException("the locked agent was removed");
            Assert.Equal(0.0, after.Progress);
        }

        [PostgresFact]
        public void A_server_restart_while_clients_write_loses_no_acknowledged_update()
        {
            using var server = new PostgresServer();
            string schema = NewSchema();
            Backend.Initialize(server.ConnectionString, new StoreOpenOptions { Schema = schema });
            var retries = new ConcurrentBag<string>();
            var options = new StoreOpenOptions { Schema = schema, RetryFor = TimeSpan.FromSeconds(120), Retrying = retries.Add };
            Backend.OpenAgentStates(server.ConnectionString, options).Create(new AgentStateDraft("shared", "n", "L1") { Status = AgentStatus.Running });

            const int Clients = 4;
            var acknowledged = new ConcurrentBag<string>();
            var unknown = new ConcurrentBag<string>();
            int sinceRestart = 0;
            bool restarted = false;
            using var warmedUp = new CountdownEvent(Clients * 20);
            using var stop = new ManualResetEventSlim();
            using var doneAfterRestart = new CountdownEvent(Clients * 20);

            Task[] clients = Enumerable.Range(0, Clients).Select(client => Task.Factory.StartNew(() =>
            {
                IAgentStateStore store = Backend.OpenAgentStates(server.ConnectionString + ";Application Name=client" + client, options);
                for (int n = 0; !stop.IsSet; n++)
                {
                    string key = $"c{client}.{n}";
                    try
                    {
                        store.Update("shared", new AgentStateChange { Metadata = new OrderedJsonObject { [key] = (long)n } });
                        acknowledged.Add(key);
                        if (!warmedUp.IsSet)
                        {
                            warmedUp.Signal();
                        }

                        if (Volatile.Read(ref restarted) && Interlocked.Increment(ref sinceRestart) <= Clients * 20)
                        {
                            doneAfterRestart.Signal();
                        }
                    }
                    catch (StoreUnavailableException ex) when (ex.OutcomeUnknown)
                    {
                        unknown.Add(key); // cut while committing: it may be there or not, and the error said so
                    }
                }
            }, TaskCreationOptions.LongRunning)).ToArray();

            Assert.True(warmedUp.Wait(TimeSpan.FromMinutes(2)), "the clients never got going");
            server.Restart();
            Volatile.Write(ref restarted, true);
            bool recovered = doneAfterRestart.Wait(TimeSpan.FromMinutes(3));
            stop.Set();
            Task.WaitAll(clients);
            Assert.True(recovered, "the clients did not get updates through after the restart");

            OrderedJsonObject metadata = Backend.OpenAgentStates(server.ConnectionString, options).TryGet("shared")!.Metadata!;
            var lost = acknowledged.Where(key => !metadata.ContainsKey(key)).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged updates are missing after the restart, e.g. {string.Join(", ", lost.Take(5))}");
            Assert.All(metadata.Select(pair => pair.Key), key => Assert.True(acknowledged.Contains(key) || unknown.Contains(key), $"{key} is there but was never sent"));

            // The restart cut the clients' pooled connections: what did not commit was tried again, and each retry was told.
            Assert.True(retries.Count + unknown.Count > 0, "no client noticed the restart");
            var pattern = new System.Text.RegularExpressions.Regex(@"^The PostgreSQL store 'postgresql://postgres@:5432/postgres\?schema=t[0-9a-f]{16}&host=[^']+' did not answer \(.+\); nothing was committed, so trying to (update the agent 'shared'|open the store) again in [0-9.]+ s\.$", System.Text.RegularExpressions.RegexOptions.Singleline);
            Assert.All(retries, retry => Assert.True(pattern.IsMatch(retry), retry));
        }
    }
}
