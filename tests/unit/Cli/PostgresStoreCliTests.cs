using System;
using System.Text.Json;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Cli
{
    /// <summary>agentstate db init and --store, run as a real process against the collection's throwaway server.</summary>
    [Collection(PostgresCollection.Name)]
    public sealed class PostgresStoreCliTests
    {
        private readonly PostgresServerFixture _postgres;

        public PostgresStoreCliTests(PostgresServerFixture postgres) => _postgres = postgres;

        private static void Succeeds(CliProcess.Result result, string what) =>
            Assert.True(result.ExitCode == 0, $"{what} exited {result.ExitCode}: {result.StandardError}");

        [PostgresFact]
        public void Db_init_then_state_and_recover_work_on_a_postgres_uri()
        {
            string schema = "c" + Guid.NewGuid().ToString("n").Substring(0, 16);
            string store = _postgres.Server.Uri + "&schema=" + schema;

            CliProcess.Result missing = CliProcess.Run("state", "get", "a1", "--store", store);
            Assert.Equal(1, missing.ExitCode);
            Assert.Contains($"the database has no schema '{schema}'", missing.StandardError);
            Assert.Contains("agentstate db init", missing.StandardError);

            CliProcess.Result init = CliProcess.Run("db", "init", "--store", store);
            Succeeds(init, "db init");
            Assert.StartsWith($"Created the schema '{schema}' at version 2.", init.StandardOutput);
            Assert.Contains("nothing to do", CliProcess.Run("db", "init", "--store", store).StandardOutput);

            Succeeds(CliProcess.Run("state", "new", "a1", "--name", "Worker", "--type", "L2", "--status", "running", "--store", store), "state new");
            Succeeds(CliProcess.Run("state", "set", "a1", "--progress", "50", "--meta", "ticket=CC-1", "--store", store), "state set");
            CliProcess.Result get = CliProcess.Run("state", "get", "a1", "--store", store);
            Succeeds(get, "state get");
            using (JsonDocument record = JsonDocument.Parse(get.StandardOutput))
            {
                Assert.Equal("running", record.RootElement.GetProperty("status").GetString());
                Assert.Equal(50, record.RootElement.GetProperty("progress").GetInt32());
                Assert.Equal("CC-1", record.RootElement.GetProperty("metadata").GetProperty("ticket").GetString());
            }

            CliProcess.Result check = CliProcess.Run("recover", "check", "--json", "--store", store);
            Succeeds(check, "recover check");
            using (JsonDocument summary = JsonDocument.Parse(check.StandardOutput))
            {
                Assert.Equal(1, summary.RootElement.GetProperty("total_incomplete").GetInt32());
                Assert.Equal("a1", summary.RootElement.GetProperty("oldest_incomplete").GetString());
            }

            CliProcess.Result transition = CliProcess.Run("state", "set", "a1", "--status", "completed", "--store", store);
            Succeeds(transition, "completing");
            CliProcess.Result refused = CliProcess.Run("state", "set", "a1", "--status", "running", "--store", store);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("needs -Force", refused.StandardError);
        }

        [Fact]
        public void A_store_that_does_not_answer_is_tried_again_with_each_retry_told_on_stderr_then_reported_with_nothing_changed()
        {
            string nowhere = $"Host=/tmp/as-pg-nowhere-{Guid.NewGuid():n};Username=x;Database=agents;Timeout=1";

            // Tried again for 30 s (the server may be restarting): a command that seems to hang says why meanwhile.
            CliProcess.Result result = CliProcess.Run("state", "new", "a1", "--name", "n", "--type", "L1", "--store", nowhere, "--init");

            Assert.Equal(1, result.ExitCode);
            Assert.Equal(string.Empty, result.StandardOutput);
            string[] lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length > 2, "expected retries, then the error: " + result.StandardError);
            Assert.All(lines[..^1], line => Assert.Matches(
                @"^agentstate: The PostgreSQL store 'postgresql://x@:5432/agents\?schema=agentstate&host=%2Ftmp%2Fas-pg-nowhere-[0-9a-f]{32}' did not answer \(.+\); nothing was committed, so trying to .+ again in [0-9.]+ s\.$", line));
            Assert.Matches(@"^agentstate: Cannot .+: the PostgreSQL store .+ did not answer for 30 s \(.+\)\. Nothing was changed\.$", lines[^1]);
        }

        [Fact]
        public void Naming_the_store_twice_or_db_init_on_a_folder_is_a_usage_error()
        {
            CliProcess.Result both = CliProcess.Run("state", "get", "a1", "--root", "/tmp", "--store", "/tmp");
            Assert.Equal(2, both.ExitCode);
            Assert.Contains("--root and --store both name the store", both.StandardError);

            CliProcess.Result folder = CliProcess.Run("db", "init", "--store", "/tmp/agents");
            Assert.Equal(2, folder.ExitCode);
            Assert.Contains("db init needs a PostgreSQL store", folder.StandardError);
        }
    }
}
