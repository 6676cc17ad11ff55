using System;
using System.Collections.Generic;
using System.IO;
using AgentState.Queue;
using AgentState.Stores;
using AgentState.Tests.Support;
using Npgsql;

namespace AgentState.Tests.Postgres
{
    /// <summary>
    /// One work queue of either backend, opened the way the front ends open one (a locator through
    /// <see cref="WorkQueues"/>), with a clock the test moves and the holders the test declares dead. A PostgreSQL queue
    /// gets a schema of its own on the collection's server, dropped afterwards.
    /// </summary>
    public sealed class QueueUnderTest : IDisposable
    {
        private readonly TestFolder? _folder;
        private readonly PostgresServer? _server;
        private readonly string _locator;
        private readonly string? _schema;

        public QueueUnderTest(string backend, PostgresServerFixture postgres)
        {
            Backend = backend;
            if (backend == StoreUnderTest.File)
            {
                _folder = new TestFolder();
                _locator = _folder.File("queue");
            }
            else
            {
                _server = postgres.Server;
                _schema = "q" + Guid.NewGuid().ToString("n").Substring(0, 16);
                _locator = _server.ConnectionString + ";Schema=" + _schema;
            }

            Queue = Open();
        }

        /// <summary>The backends this machine can run: the folder always, PostgreSQL where a server can be started.</summary>
        public static IEnumerable<object[]> Backends() => StoreUnderTest.Backends();

        public string Backend { get; }

        public DateTimeOffset Time { get; set; } = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

        /// <summary>Process ids whose holders count as dead.</summary>
        public HashSet<int> DeadPids { get; } = new HashSet<int>();

        public IWorkQueue Queue { get; }

        /// <summary>The folder of a folder queue; null for PostgreSQL.</summary>
        public string? Folder => _folder == null ? null : _locator;

        /// <summary>Another client of the same queue: for PostgreSQL, on connections of its own (a pool of its own).</summary>
        public IWorkQueue Open(string? client = null)
        {
            string text = client == null || _server == null ? _locator : _locator + ";Application Name=" + client;
            return WorkQueues.Open(StoreLocator.Parse(text, Directory.GetCurrentDirectory()), new StoreOpenOptions
            {
                Clock = () => Time,
                LeaseHolderIsDead = holder => { lock (DeadPids) { return DeadPids.Contains(holder.ProcessId); } },
                Initialize = true,
                LockTimeout = TimeSpan.FromSeconds(60),
            });
        }

        /// <summary>
        /// A client on the real clocks, as a front end opens one: the server's time, and holders judged by this host's
        /// process table; <paramref name="retryFor"/> as the store's retry window.
        /// </summary>
        public IWorkQueue OpenReal(string client, TimeSpan? retryFor = null) =>
            WorkQueues.Open(StoreLocator.Parse(_server == null ? _locator : _locator + ";Application Name=" + client, Directory.GetCurrentDirectory()),
                new StoreOpenOptions { Initialize = true, RetryFor = retryFor });

        /// <summary>The PostgreSQL queue's connection string with its schema (for a server of the test's own).</summary>
        public string Locator => _locator;

        /// <summary>True when nothing of the queue exists yet (no folder; no schema).</summary>
        public bool NothingCreated()
        {
            if (_folder != null)
            {
                return !Directory.Exists(_locator);
            }

            using var connection = new NpgsqlConnection(_server!.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand("SELECT count(*) FROM pg_namespace WHERE nspname = @s", connection);
            command.Parameters.AddWithValue("s", _schema!);
            return Convert.ToInt32(command.ExecuteScalar()) == 0;
        }

        public void Dispose()
        {
            if (_folder != null)
            {
                _folder.Dispose();
                return;
            }

            using var connection = new NpgsqlConnection(_server!.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
            command.ExecuteNonQuery();
        }
    }
}
