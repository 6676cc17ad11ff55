using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using AgentState.Agents;
using AgentState.Stores;
using Npgsql;

namespace AgentState.Bench
{
    /// <summary>
    /// <c>store-backends &lt;postgres connection&gt; [iterations]</c>: per-operation latency of save (create, overwriting)
    /// and update against the folder store and a PostgreSQL store in the same run, then the recovery summary of
    /// 100,000 agents in PostgreSQL. A whole-process measurement (medians and 95th percentiles over many calls), because
    /// the PostgreSQL half needs a server that BenchmarkDotNet's child processes would have to be told about.
    /// </summary>
    internal static class StoreBackendMeasurement
    {
        public static int Run(string[] args)
        {
            if (args.Length < 2)
            {
                Console.Error.WriteLine("usage: store-backends <postgres connection string> [iterations (default 2000)]");
                return 2;
            }

            string connection = args[1];
            AgentStores.UsePostgres(() => new Postgres.PostgresBackend());
            int iterations = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2000;
            string schema = "bench" + Guid.NewGuid().ToString("n").Substring(0, 8);
            string folder = Path.Combine(Path.GetTempPath(), "agentstate-bench-" + Guid.NewGuid().ToString("n"));
            try
            {
                var stores = new (string Name, IAgentStateStore Store)[]
                {
                    ("folder (durable)", AgentStores.Open(StoreLocator.Folder(folder))),
                    ("PostgreSQL", AgentStores.Open(StoreLocator.Parse(connection + ";Schema=" + schema, "/"), new StoreOpenOptions { Initialize = true })),
                };

                Console.WriteLine($"| Backend | Operation | Calls | Median | p95 |");
                Console.WriteLine($"|---|---|---:|---:|---:|");
                foreach ((string name, IAgentStateStore store) in stores)
                {
                    store.Create(new AgentStateDraft("bench.0", "warm-up", "L2"), overwrite: true);
                    LatencyTable.Report(name, "save (create, overwrite)", LatencyTable.Time(iterations, i => store.Create(new AgentStateDraft("bench." + (i % 50), "Bench agent", "L2") { Status = AgentStatus.Running }, overwrite: true)));
                    LatencyTable.Report(name, "update (progress, under the lock)", LatencyTable.Time(iterations, i => store.Update("bench." + (i % 50), new AgentStateChange { Progress = i % 100 })));
                }

                Summary(connection, schema, stores[1].Store);
                return 0;
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
                using var c = new NpgsqlConnection(connection);
                c.Open();
                using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", c);
                drop.ExecuteNonQuery();
            }
        }

        private static void Summary(string connection, string schema, IAgentStateStore store)
        {
            // 100,000 rows loaded in one statement (creating them one by one would measure inserts, not the summary):
            // a quarter incomplete, over four types, with the columns a write derives from the record.
            using (var c = new NpgsqlConnection(connection))
            {
                c.Open();
                using var load = new NpgsqlCommand($@"
TRUNCATE {schema}.agent_state;
INSERT INTO {schema}.agent_state (agent_id, doc, status, agent_type, incomplete, finished, created_at, last_updated, began_at, finished_at)
SELECT 'agent.' || n,
       jsonb_build_object('agent_id', 'agent.' || n, 'agent_name', 'Agent ' || n, 'agent_type', 'L' || (n % 4),
                          'status', s, 'progress', 0, 'metadata', '{{}}'::jsonb,
                          'created_at', to_char(t, 'YYYY-MM-DD""T""HH24:MI:SS.MS') || '+00:00', 'last_updated', to_char(t, 'YYYY-MM-DD""T""HH24:MI:SS.MS') || '+00:00'),
       s, 'L' || (n % 4), s IN ('pending', 'running'), s = 'completed', t, t, t, CASE WHEN s = 'completed' THEN t END
FROM (SELECT n, CASE WHEN n % 4 = 0 THEN 'running' WHEN n % 8 = 1 THEN 'pending' ELSE 'completed' END AS s,
             timestamptz '2026-01-01' + n * interval '1 second' AS t
      FROM generate_series(1, 100000) AS n) AS g;
ANALYZE {schema}.agent_state;", c);
                load.CommandTimeout = 600;
                load.ExecuteNonQuery();
            }

            store.Summarize(); // the first call opens the pool
            var runs = new List<double>();
            AgentRecoverySummary? summary = null;
            for (int i = 0; i < 10; i++)
            {
                var watch = Stopwatch.StartNew();
                summary = store.Summarize();
                runs.Add(watch.Elapsed.TotalMilliseconds);
            }

            runs.Sort();
            Console.WriteLine();
            Console.WriteLine($"Recovery summary of {summary!.Total:N0} agents ({summary.Incomplete:N0} incomplete) in PostgreSQL, 10 calls: " +
                $"median {runs[runs.Count / 2].ToString("0.0", CultureInfo.InvariantCulture)} ms, slowest {runs[runs.Count - 1].ToString("0.0", CultureInfo.InvariantCulture)} ms.");
        }
    }
}
