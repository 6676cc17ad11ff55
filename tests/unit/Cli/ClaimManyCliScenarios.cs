using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Cli
{
    /// <summary>
    /// <c>agentstate queue claim --count</c> as a shell uses it, the same on every backend: the folder and PostgreSQL tests
    /// run these against their own queue through <c>q</c>, which runs <c>agentstate queue &lt;arguments&gt;</c> on it.
    /// </summary>
    internal static class ClaimManyCliScenarios
    {
        /// <summary>Items a..g, queued in that order: their claim order.</summary>
        private static readonly string[] Seven = { "a", "b", "c", "d", "e", "f", "g" };

        public static void Several_items_come_in_claim_order_with_their_own_tokens(Func<string[], CliProcess.Result> q)
        {
            Add(q, "a", "b", "c", "d", "e");

            CliProcess.Result claim = q(new[] { "claim", "--count", "3", "--lease", "300" });
            Succeeds(claim, "claim --count 3");
            JsonElement[] items = JsonLines(claim.StandardOutput);
            Assert.Equal(new[] { "a", "b", "c" }, items.Select(i => i.GetProperty("id").GetString()).ToArray());
            Assert.All(items, i => Assert.Equal("Claimed", i.GetProperty("state").GetString()));
            string[] tokens = items.Select(i => i.GetProperty("leaseToken").GetString()!).ToArray();
            Assert.True(tokens.Distinct().Count() == 3, "the three claims share a lease token: " + string.Join(", ", tokens));

            foreach (JsonElement item in items)
            {
                string id = item.GetProperty("id").GetString()!;
                Succeeds(q(new[] { "complete", id, "--token", item.GetProperty("leaseToken").GetString()! }), "complete " + id);
            }

            // Asking for more than are due gives the rest at once, however long --wait is (a run that waited would be
            // cut off by CliProcess's two minutes), and nothing left is exit 3.
            CliProcess.Result rest = q(new[] { "claim", "--count", "10", "--wait", "3600" });
            Succeeds(rest, "claim --count 10 of the last two");
            Assert.Equal(new[] { "d", "e" }, JsonLines(rest.StandardOutput).Select(i => i.GetProperty("id").GetString()).ToArray());
            CliProcess.Result none = q(new[] { "claim", "--count", "10" });
            Assert.True(none.ExitCode == 3, $"claim --count 10 of an empty queue exited {none.ExitCode}, not 3: {none.StandardError}");
            Assert.Equal(string.Empty, none.StandardOutput);
            Assert.Equal(new[] { "Queued\t0", "Claimed\t2", "Completed\t3", "DeadLetter\t0" }, Counts(q));
        }

        public static void A_count_outside_1_to_1000_is_a_usage_error_that_claims_nothing(Func<string[], CliProcess.Result> q)
        {
            Add(q, "a");

            foreach (string count in new[] { "0", "1001", "-1" })
            {
                CliProcess.Result refused = q(new[] { "claim", "--count", count });
                Assert.True(refused.ExitCode == 2, $"claim --count {count} exited {refused.ExitCode}, not 2 (usage): {refused.StandardError}");
                Assert.Contains("1 to 1000", refused.StandardError);
                Assert.Equal(string.Empty, refused.StandardOutput);
            }

            // Not a number of items at all: the parser's own usage error, not a crash.
            foreach (string count in new[] { "three", "1.5", "99999999999" })
            {
                CliProcess.Result refused = q(new[] { "claim", "--count", count });
                Assert.True(refused.ExitCode == 2, $"claim --count {count} exited {refused.ExitCode}, not 2 (usage): {refused.StandardError}");
                Assert.Contains("--count", refused.StandardError);
                Assert.DoesNotContain("Unhandled exception", refused.StandardError);
            }

            CliProcess.Result loop = q(new[] { "claim", "--loop", "--count", "0" });
            Assert.True(loop.ExitCode == 2, $"claim --loop --count 0 exited {loop.ExitCode}, not 2: {loop.StandardError}");
            Assert.Equal(new[] { "Queued\t1", "Claimed\t0", "Completed\t0", "DeadLetter\t0" }, Counts(q));
        }

        public static void A_loop_claiming_three_at_a_time_completes_all_seven(Func<string[], CliProcess.Result> q, Func<string[], byte[], CliProcess.Result> qWithInput)
        {
            Add(q, Seven);

            byte[] verbs = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("complete\n", Seven.Length)));
            CliProcess.Result loop = qWithInput(new[] { "claim", "--loop", "--count", "3", "--lease", "300" }, verbs);
            Succeeds(loop, "claim --loop --count 3");

            // Each item is printed, then its outcome, before the next item of the batch.
            string[] lines = Lines(loop.StandardOutput);
            Assert.True(lines.Length == 2 * Seven.Length, "expected each of the seven items and its outcome, got:\n" + loop.StandardOutput);
            for (int i = 0; i < Seven.Length; i++)
            {
                using JsonDocument item = JsonDocument.Parse(lines[2 * i]);
                Assert.Equal(Seven[i], item.RootElement.GetProperty("id").GetString());
                Assert.Equal("completed\t" + Seven[i], lines[(2 * i) + 1]);
            }

            Assert.Equal(new[] { "Queued\t0", "Claimed\t0", "Completed\t7", "DeadLetter\t0" }, Counts(q));
        }

        public static void A_loop_that_runs_out_of_input_leaves_the_rest_of_its_batch_claimed(Func<string[], CliProcess.Result> q, Func<string[], byte[], CliProcess.Result> qWithInput)
        {
            Add(q, Seven);

            // One verb for a batch of three: the first is completed, the other two stay claimed until their leases run out.
            CliProcess.Result loop = qWithInput(new[] { "claim", "--loop", "--count", "3", "--lease", "300" }, Encoding.UTF8.GetBytes("complete\n"));
            Succeeds(loop, "claim --loop --count 3 with one line of input");

            string[] lines = Lines(loop.StandardOutput);
            Assert.True(lines.Length == 3, "expected the first item, its outcome and the second item, got:\n" + loop.StandardOutput);
            Assert.Equal("completed\ta", lines[1]);
            Assert.Equal(new[] { "Queued\t4", "Claimed\t2", "Completed\t1", "DeadLetter\t0" }, Counts(q));
        }

        /// <summary>
        /// A consumer SIGKILLed while it holds a batch of three (it printed the first and waits for its verb): all three
        /// were claimed by it, and all three return to the next claim with their attempt counted, to be completed once.
        /// </summary>
        public static async Task A_consumer_killed_holding_a_batch_returns_every_item_of_it(Func<string[], CliProcess.Result> q, Func<string[], Process> start)
        {
            Add(q, "a", "b", "c");

            using (Process doomed = start(new[] { "claim", "--loop", "--count", "3", "--wait", "3600", "--lease", "600" }))
            {
                Task<string> errors = doomed.StandardError.ReadToEndAsync();
                try
                {
                    string? first = await doomed.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2));
                    Assert.True(first != null, "the consumer ended before printing a claim: " + (errors.IsCompleted ? errors.Result : "(still running)"));
                    using (JsonDocument item = JsonDocument.Parse(first!))
                    {
                        Assert.Equal("a", item.RootElement.GetProperty("id").GetString());
                    }

                    Assert.Equal(new[] { "Queued\t0", "Claimed\t3", "Completed\t0", "DeadLetter\t0" }, Counts(q)); // the whole batch is its
                }
                finally
                {
                    doomed.Kill(); // SIGKILL while it holds three leases and waits for our word
                    doomed.WaitForExit(); // Reaped: a zombie would still answer kill(pid, 0).
                }
            }

            CliProcess.Result again = q(new[] { "claim", "--count", "5", "--lease", "600" });
            Succeeds(again, "claim --count 5 after the consumer died");
            JsonElement[] items = JsonLines(again.StandardOutput);
            Assert.Equal(new[] { "a", "b", "c" }, items.Select(i => i.GetProperty("id").GetString()).ToArray());
            Assert.All(items, i => Assert.Equal(2, i.GetProperty("attempts").GetInt32()));
            foreach (JsonElement item in items)
            {
                string id = item.GetProperty("id").GetString()!;
                Succeeds(q(new[] { "complete", id, "--token", item.GetProperty("leaseToken").GetString()! }), "complete " + id);
            }

            Assert.Equal(new[] { "Queued\t0", "Claimed\t0", "Completed\t3", "DeadLetter\t0" }, Counts(q));
        }

        private static void Add(Func<string[], CliProcess.Result> q, params string[] ids)
        {
            foreach (string id in ids)
            {
                Succeeds(q(new[] { "add", id }), "add " + id);
            }
        }

        private static string[] Counts(Func<string[], CliProcess.Result> q) => Lines(q(new[] { "list", "--count" }).StandardOutput);

        private static string[] Lines(string output) => output.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries);

        private static JsonElement[] JsonLines(string output) =>
            Lines(output).Select(line =>
            {
                using JsonDocument json = JsonDocument.Parse(line);
                return json.RootElement.Clone();
            }).ToArray();

        private static void Succeeds(CliProcess.Result result, string what) =>
            Assert.True(result.ExitCode == 0, $"{what} exited {result.ExitCode}: {result.StandardError}");
    }
}
