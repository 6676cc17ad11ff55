using System;
using System.Collections.Generic;
using System.IO;
using AgentState.Agents;
using AgentState.Stores;
using AgentState.Tests.Support;
using Npgsql;

namespace AgentState.Tests.Postgres
{
    /// <summary>
    /// One agent state store of either backend, opened the way the front ends open one (a locator through
    /// <see cref="AgentStores"/>), with a clock the test moves. A PostgreSQL store gets a schema of its own on the
    /// collection's server, dropped afterwards.
    /// </summary>
    public sealed class StoreUnderTest : IDisposable
    {
        public const string File = "file";
        public const string Postgres = "postgres";

        private readonly TestFolder? _folder;
        private readonly PostgresServer? _server;
        private readonly string _locator;
        private readonly string? _schema;

        public StoreUnderTest(string backend, PostgresServerFixture postgres)
        {
            Backend = backend;
            if (backend == File)
            {
                _folder = new TestFolder();
                _locator = _folder.Path;
            }
            else
            {
                _server = postgres.Server;
                _schema = "t" + Guid.NewGuid().ToString("n").Substring(0, 16);
                _locator = _server.ConnectionString + ";Schema=" + _schema;
            }

            Store = Open();
        }

        /// <summary>The backends this machine can run: files always, PostgreSQL where a server can be started.</summary>
        public static IEnumerable<object[]> Backends()
        {
            yield return new object[] { File };
            if (PostgresServer.SkipReason == null)
            {
                yield return new object[] { Postgres };
            }
        }

        public string Backend { get; }

        public DateTimeOffset Time { get; set; } = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

        public IAgentStateStore Store { get; }

        /// <summary>Another client of the same store: for PostgreSQL, on connections of its own (a pool of its own).</summary>
        public IAgentStateStore Open(string? client = null, Func<DateTimeOffset>? clock = null)
        {
            string text = client == null || _server == null ? _locator : _locator + ";Application Name=" + client;
            return AgentStores.Open(StoreLocator.Parse(text, Directory.GetCurrentDirectory()),
                new StoreOpenOptions { Clock = clock ?? (() => Time), Initialize = true, LockTimeout = TimeSpan.FromSeconds(60) });
        }

        /// <summary>The same kind of store where nothing was ever created (no folder; no schema) and nothing may create it.</summary>
        public IAgentStateStore OpenMissing()
        {
            string text = _server == null
                ? Path.Combine(_folder!.Path, "absent")
                : _server.ConnectionString + ";Schema=" + "t" + Guid.NewGuid().ToString("n").Substring(0, 16);
            return AgentStores.Open(StoreLocator.Parse(text, Directory.GetCurrentDirectory()), new StoreOpenOptions { Clock = () => Time });
        }

        /// <summary>Adds a top-level field to an agent's record behind the store's back, as another tool would.</summary>
        public void PlantField(string agentId, string key, string json)
        {
            if (_folder != null)
            {
                string path = Path.Combine(_folder.Path, "state", agentId + ".json");
                string text = System.IO.File.ReadAllText(path);
                int brace = text.IndexOf('{');
                System.IO.File.WriteAllText(path, text.Substring(0, brace + 1) + "\"" + key + "\": " + json + "," + text.Substring(brace + 1));
                return;
            }

            Sql($"UPDATE {_schema}.agent_state SET doc = doc || jsonb_build_object(@k, @v::jsonb) WHERE agent_id = @id", ("k", key), ("v", json), ("id", agentId));
        }

        /// <summary>Runs a statement against the PostgreSQL store's schema (for what only a database can show).</summary>
        public void Sql(string sql, params (string Name, object Value)[] parameters)
        {
            using var connection = new NpgsqlConnection(_server!.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand(sql.Replace("{schema}", _schema), connection);
            foreach ((string name, object value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            command.ExecuteNonQuery();
        }

        public string Schema => _schema!;

        public void Dispose()
        {
            if (_folder != null)
            {
                _folder.Dispose();
            }
            else
            {
                Sql($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
            }
        }
    }
}
