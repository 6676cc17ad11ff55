using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using AgentState.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AgentState.Tests.Cli
{
    /// <summary>agentstate queue with --store / --queue naming a PostgreSQL database, run as real processes against the collection's throwaway server.</summary>
    [Collection(PostgresCollection.Name)]
    public sealed class PostgresQueueCliTests : IDisposable
    {
        private readonly PostgresServerFixture _postgres;
        private readonly ITestOutputHelper _output;
        private readonly TestFolder _folder = new TestFolder();

        public PostgresQueueCliTests(PostgresServerFixture postgres, ITestOutputHelper output)
        {
            _postgres = postgres;
            _output = output;
        }

        public void Dispose() => _folder.Dispose();

        /// <summary>A schema of its own for each test, made by db init.</summary>
        private string NewStore()
        {
            string store = _postgres.Server.Uri + "&schema=q" + Guid.NewGuid().ToString("n").Substring(0, 16);
            Succeeds(CliProcess.Run("db", "init", "--store", store), "db init");
            return store;
        }

        private static CliProcess.Result Q(string store, params string[] arguments) =>
            CliProcess.Run(new[] { "queue" }.Concat(arguments).Concat(new[] { "--store", store }).ToArray());

        private static void Succeeds(CliProcess.Result result, string what) =>
            Assert.True(result.ExitCode == 0, $"{what} exited {result.ExitCode}: {result.StandardError}");

        private static JsonElement Claimed(CliProcess.Result result, string expectedId)
        {
            Succeeds(result, "claim");
            using JsonDocument json = JsonDocument.Parse(result.StandardOutput);
            JsonElement item = json.RootElement.Clone();
            Assert.Equal(expectedId, item.GetProperty("id").GetString());
            Assert.Equal("Claimed", item.GetProperty("state").GetString());
            return item;
        }

        private static string Token(JsonElement item) => item.GetProperty("leaseToken").GetString()!;

        [PostgresFact]
        public void Add_position_claim_complete_fail_and_dead_letter_work_on_a_postgres_store()
        {
            string store = NewStore();
            string pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

            CliProcess.Result added = Q(store, "add", "a", "--payload", "{\"repo\":\"api\"}", "--priority", "5");
            Succeeds(added, "add a");
            Assert.StartsWith("a\t", added.StandardOutput);
            Succeeds(Q(store, "add", "b"), "add b");
            Succeeds(CliProcess.Run("queue", "add", "c", "--priority", "5", "--queue", store), "add c with --queue naming the database");
            CliProcess.Result duplicate = Q(store, "add", "a");
            Assert.Equal(1, duplicate.ExitCode);
            Assert.Contains("'a'", duplicate.StandardError);

            Assert.Equal("1", Q(store, "position", "a").StandardOutput.Trim());
            Assert.Equal("2", Q(store, "position", "c").StandardOutput.Trim());
            Assert.Equal("3", Q(store, "position", "b").StandardOutput.Trim());

            // The first claim gets the oldest item of the highest priority, with its payload and a lease.
            JsonElement a = Claimed(Q(store, "claim", "--lease", "300", "--holder-pid", pid), "a");
            Assert.Equal("api", a.GetProperty("payload").GetProperty("repo").GetString());
            Assert.Equal(1, a.GetProperty("attempts").GetInt32());
            Assert.Equal("Claimed", Q(store, "position", "a").StandardOutput.Trim());
            Succeeds(Q(store, "renew", "a", "--token", Token(a), "--lease", "600"), "renew");
            CliProcess.Result wrongToken = Q(store, "complete", "a", "--token", "not-the-token");
            Assert.Equal(1, wrongToken.ExitCode);
            Assert.Equal("Claimed", Q(store, "position", "a").StandardOutput.Trim());
            Succeeds(Q(store, "complete", "a", "--token", Token(a)), "complete");
            Assert.Equal("Completed", Q(store, "position", "a").StandardOutput.Trim());

            // One attempt allowed: failing it makes a dead letter.
            Succeeds(Q(store, "add", "d", "--priority", "9", "--max-attempts", "1"), "add d");
            JsonElement d = Claimed(Q(store, "claim", "--holder-pid", pid), "d");
            CliProcess.Result dead = Q(store, "fail", "d", "--token", Token(d), "--error", "boom");
            Succeeds(dead, "fail d");
            Assert.Equal("DeadLetter", dead.StandardOutput.Trim());

            // Attempts left: failing returns it to its place, with its error, for the next claim.
            JsonElement c = Claimed(Q(store, "claim", "--holder-pid", pid), "c");
            CliProcess.Result failed = Q(store, "fail", "c", "--token", Token(c), "--error", "flaky");
            Succeeds(failed, "fail c");
            Assert.Equal("Queued", failed.StandardOutput.Trim());
            Assert.Equal("1", Q(store, "position", "c").StandardOutput.Trim());
            JsonElement again = Claimed(Q(store, "claim", "--holder-pid", pid), "c");
            Assert.Equal(2, again.GetProperty("attempts").GetInt32());
            Assert.Equal("flaky", again.GetProperty("lastError").GetString());
            Succeeds(Q(store, "complete", "c", "--token", Token(again)), "complete c");

            JsonElement b = Claimed(Q(store, "claim", "--holder-pid", pid), "b");
            CliProcess.Result none = Q(store, "claim", "--holder-pid", pid);
            Assert.Equal(3, none.ExitCode);
            Assert.Contains("no item", none.StandardError);
            Succeeds(Q(store, "complete", "b", "--token", Token(b)), "complete b");

            Assert.Equal(new[] { "Queued\t0", "Claimed\t0", "Completed\t3", "DeadLetter\t1" }, Q(store, "list", "--count").StandardOutput.Trim().Split('\n'));
            string[] letters = Q(store, "list", "--state", "deadletter").StandardOutput.Trim().Split('\n');
            using JsonDocument letter = JsonDocument.Parse(Assert.Single(letters));
            Assert.Equal("d", letter.RootElement.GetProperty("id").GetString());
            Assert.Equal("boom", letter.RootElement.GetProperty("lastError").GetString());
        }

        [PostgresFact]
        public void A_store_without_the_queue_schema_is_an_error_that_names_db_init()
        {
            string store = _postgres.Server.Uri + "&schema=q" + Guid.NewGuid().ToString("n").Substring(0, 16);

            CliProcess.Result missing = Q(store, "add", "x");

            Assert.Equal(1, missing.ExitCode);
            Assert.Contains("agentstate db init", missing.StandardError);
            Succeeds(Q(store, "add", "x", "--init"), "add with --init");
            Assert.Equal("1", Q(store, "position", "x").StandardOutput.Trim());
        }

        [Fact]
        public void A_malformed_connection_is_a_usage_error()
        {
            CliProcess.Result bad = CliProcess.Run("queue", "list", "--store", "postgresql://ops@db1:notaport/agents");

            Assert.Equal(2, bad.ExitCode);
            Assert.Contains("notaport", bad.StandardError);
        }

        [Fact]
        public void A_server_that_does_not_answer_is_exit_1_naming_the_queue_without_its_password()
        {
            string nowhere = $"Host=/tmp/as-pg-nowhere-{Guid.NewGuid():n};Username=x;Password=s3cret-pw;Timeout=1;Command Timeout=1";

            // Tried again for 30 s (a server may be restarting), then reported.
            CliProcess.Result result = CliProcess.Run("queue", "add", "a1", "--store", nowhere);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("postgresql://x@", result.StandardError);
            Assert.Contains("Nothing was changed.", result.StandardError);
            Assert.DoesNotContain("s3cret-pw", result.StandardError + result.StandardOutput);
        }

        [Fact]
        public void Naming_the_queue_twice_is_a_usage_error_and_store_takes_a_folder_too()
        {
            string queue = _folder.File("queue");

            CliProcess.Result both = CliProcess.Run("queue", "list", "--queue", queue, "--store", queue);
            Assert.Equal(2, both.ExitCode);
            Assert.Contains("--queue and --store both name the queue", both.StandardError);

            Succeeds(CliProcess.Run("queue", "add", "f1", "--store", queue), "add with --store naming a folder");
            Assert.Equal("1", CliProcess.Run("queue", "position", "f1", "--queue", queue).StandardOutput.Trim());
            Assert.True(Directory.Exists(Path.Combine(queue, "ready")));
        }

        [PostgresFact]
        [Trait("Category", "Crash")]
        public async Task Eight_consumers_and_four_producers_complete_every_item_once_on_postgres()
        {
            string store = NewStore();
            int items = int.TryParse(Environment.GetEnvironmentVariable("AGENTSTATE_QUEUE_TEST_ITEMS"), out int n) && n > 0 ? n : 10_000;

            // FIFO within each producer's stream only: concurrent producers' sequence numbers are taken inside their
            // transactions, so a higher one may commit, and be claimed, first (seen: 941 claimed before 939).
            await QueueProcessTests.EightConsumersAndFourProducers(store, items, _output, fifoAcrossProducers: false);

            Assert.Equal(new[] { "Queued\t0", "Claimed\t0", $"Completed\t{items}", "DeadLetter\t0" }, Q(store, "list", "--count").StandardOutput.Trim().Split('\n'));
        }

        [PostgresFact]
        [Trait("Category", "Crash")]
        public async Task A_consumer_killed_holding_a_lease_leaves_its_item_for_another_to_complete()
        {
            string store = NewStore();
            Succeeds(Q(store, "add", "held", "--payload", "{\"n\":1}", "--max-attempts", "10"), "add");

            // A short lease: the item comes back when it runs out, if the backend does not see the holder's death first.
            QueueProcessTests.Claim first;
            using (var doomed = new QueueProcessTests.Consumer(store, lease: 2))
            {
                first = await doomed.NextClaimAsync(null) ?? throw new Xunit.Sdk.XunitException("the first consumer claimed nothing: " + doomed.Errors());
                Assert.Equal("held", first.Id);
                Assert.Equal(1, first.Attempts);
                doomed.Kill(); // SIGKILL while it holds the lease and waits for our word
            }

            using var heir = new QueueProcessTests.Consumer(store, lease: 600);
            QueueProcessTests.Claim second = await heir.NextClaimAsync(null) ?? throw new Xunit.Sdk.XunitException("the second consumer claimed nothing: " + heir.Errors());
            Assert.Equal("held", second.Id);
            Assert.Equal(2, second.Attempts);
            Assert.Equal(first.Sequence, second.Sequence);
            Assert.Equal("completed\theld", await heir.SendAsync("complete"));

            Assert.Equal(new[] { "Queued\t0", "Claimed\t0", "Completed\t1", "DeadLetter\t0" }, Q(store, "list", "--count").StandardOutput.Trim().Split('\n'));
            using JsonDocument done = JsonDocument.Parse(Q(store, "list", "--state", "completed").StandardOutput.Trim());
            Assert.Equal(2, done.RootElement.GetProperty("attempts").GetInt32());
        }
    }
}
