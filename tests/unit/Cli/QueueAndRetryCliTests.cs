using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using AgentState.Queue;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Cli
{
    /// <summary><c>agentstate queue</c> and <c>agentstate retry</c> as a shell uses them: outputs, exit codes, errors.</summary>
    public sealed class QueueAndRetryCliTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();

        public void Dispose() => _folder.Dispose();

        private string Queue => _folder.File("queue");

        private CliProcess.Result Q(params string[] arguments) => CliProcess.Run(new[] { "queue" }.Concat(arguments).Concat(new[] { "--queue", Queue }).ToArray());

        [Fact]
        public void Add_position_claim_and_complete_from_a_shell()
        {
            Assert.Equal("a\t1", Q("add", "a", "--payload", "{\"n\":1}").StandardOutput.Trim());
            Assert.Equal("b\t2", Q("add", "b", "--priority", "7").StandardOutput.Trim());
            Assert.Equal("2", Q("position", "a").StandardOutput.Trim());

            CliProcess.Result claim = Q("claim", "--lease", "60");
            Assert.True(claim.ExitCode == 0, claim.StandardError);
            using JsonDocument item = JsonDocument.Parse(claim.StandardOutput);
            Assert.Equal("b", item.RootElement.GetProperty("id").GetString());
            Assert.Equal(Environment.ProcessId, item.RootElement.GetProperty("holderPid").GetInt32()); // the caller holds it
            string token = item.RootElement.GetProperty("leaseToken").GetString()!;
            Assert.Equal("Claimed", Q("position", "b").StandardOutput.Trim());

            Assert.Equal(0, Q("renew", "b", "--token", token, "--lease", "120").ExitCode);
            Assert.Equal(0, Q("complete", "b", "--token", token).ExitCode);
            Assert.Equal(new[] { "Queued\t1", "Claimed\t0", "Completed\t1", "DeadLetter\t0" }, Q("list", "--count").StandardOutput.Trim().Split('\n'));
        }

        [Fact]
        public void Fail_returns_the_item_then_dead_letters_it()
        {
            Q("add", "job", "--max-attempts", "2");
            for (int attempt = 1; attempt <= 2; attempt++)
            {
                using JsonDocument item = JsonDocument.Parse(Q("claim").StandardOutput);
                string token = item.RootElement.GetProperty("leaseToken").GetString()!;
                CliProcess.Result fail = Q("fail", "job", "--token", token, "--error", "boom " + attempt);
                Assert.Equal(attempt == 1 ? "Queued" : "DeadLetter", fail.StandardOutput.Trim());
            }

            using JsonDocument dead = JsonDocument.Parse(Q("list", "--state", "deadletter").StandardOutput);
            Assert.Equal("boom 2", dead.RootElement.GetProperty("lastError").GetString());
        }

        [Fact]
        public void Nothing_due_is_exit_3_and_a_lost_claim_is_exit_1_naming_the_item()
        {
            Q("add", "later", "--delay", "3600");

            CliProcess.Result empty = Q("claim");
            Assert.Equal(3, empty.ExitCode);
            Assert.Contains("no item", empty.StandardError);

            CliProcess.Result lost = Q("complete", "later", "--token", "0000");
            Assert.Equal(1, lost.ExitCode);
            Assert.Contains("'later'", lost.StandardError);
        }

        [Fact]
        public void Bad_input_is_exit_2_and_changes_nothing()
        {
            Assert.Equal(2, Q("add", "../x").ExitCode);
            Assert.Equal(2, Q("add", "ok", "--payload", "{broken").ExitCode);
            Assert.False(Directory.Exists(Queue));
            CliProcess.Result full = CliProcess.Run("queue", "add", "a", "--queue", Queue, "--capacity", "1");
            Assert.Equal(0, full.ExitCode);
            CliProcess.Result refused = CliProcess.Run("queue", "add", "b", "--queue", Queue, "--capacity", "1");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("is full", refused.StandardError);
        }

        [Fact]
        public void Retry_reruns_a_retryable_failure_and_exits_with_the_last_code()
        {
            string count = _folder.File("count");
            CliProcess.Result result = CliProcess.Run("retry", "-v", "--initial-delay", "0.01", "--max-attempts", "3", "--", "sh", "-c", $"echo x >> '{count}'; exit 75");

            Assert.Equal(75, result.ExitCode);
            Assert.Equal(3, File.ReadAllLines(count).Length);
            Assert.Contains("attempt 1 failed (InfrastructureError)", result.StandardError);
            Assert.Contains("No attempts left", result.StandardError);
        }

        [Fact]
        public void Retry_stops_at_once_on_a_failure_that_is_not_retryable()
        {
            string count = _folder.File("count");
            CliProcess.Result result = CliProcess.Run("retry", "--initial-delay", "0.01", "--max-attempts", "5", "--", "sh", "-c", $"echo x >> '{count}'; exit 3");

            Assert.Equal(3, result.ExitCode);
            Assert.Single(File.ReadAllLines(count));
        }

        [Fact]
        public void Retry_succeeds_when_a_later_attempt_does_and_can_retry_chosen_exit_codes()
        {
            string count = _folder.File("count");
            CliProcess.Result result = CliProcess.Run("retry", "--initial-delay", "0.01", "--max-attempts", "5", "--retry-on-exit-code", "9", "--",
                "sh", "-c", $"echo x >> '{count}'; [ $(wc -l < '{count}') -ge 3 ] || exit 9");

            Assert.True(result.ExitCode == 0, result.StandardError);
            Assert.Equal(3, File.ReadAllLines(count).Length);
        }

        [Fact]
        public void Retry_refuses_to_retry_test_failures_and_names_a_missing_command()
        {
            Assert.Equal(2, CliProcess.Run("retry", "--retry-on", "TestFailed", "--", "true").ExitCode);
            CliProcess.Result missing = CliProcess.Run("retry", "--", "no-such-command-xyz");
            Assert.Equal(127, missing.ExitCode);
            Assert.Contains("no-such-command-xyz", missing.StandardError);
        }

        [Fact]
        public void Retry_records_each_attempt_in_a_run_and_refuses_a_missing_run_before_running_anything()
        {
            using var folder = new TestFolder();
            string runs = folder.File("runs");
            string count = folder.File("count");
            Assert.Equal(0, CliProcess.Run("run", "new", "r1", "--root", runs).ExitCode);

            CliProcess.Result result = CliProcess.Run("retry", "--run-id", "r1", "--iteration", "2", "--runs-root", runs, "--initial-delay", "0.01",
                "--max-attempts", "2", "--", "sh", "-c", $"echo x >> '{count}'; exit 75");

            Assert.Equal(75, result.ExitCode);
            var events = File.ReadAllLines(Path.Combine(runs, "r1", "events.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.Clone())
                .Where(e => e.GetProperty("type").GetString()!.StartsWith("retry:", StringComparison.Ordinal)).ToList();
            Assert.Equal(new[] { "retry:attempt", "retry:failure", "retry:attempt", "retry:failure" }, events.Select(e => e.GetProperty("type").GetString()));
            Assert.All(events, e => Assert.Equal(2, e.GetProperty("iteration").GetInt32()));
            JsonElement first = events[1].GetProperty("data"), last = events[3].GetProperty("data");
            Assert.Equal("InfrastructureError", first.GetProperty("errorType").GetString());
            Assert.Equal("Retry", first.GetProperty("decision").GetString());
            Assert.Equal(JsonValueKind.Number, first.GetProperty("delayMs").ValueKind);
            Assert.Equal("AttemptsExhausted", last.GetProperty("decision").GetString());
            Assert.Equal(JsonValueKind.Null, last.GetProperty("delayMs").ValueKind);
            Assert.Equal(2, File.ReadAllLines(count).Length);

            CliProcess.Result missing = CliProcess.Run("retry", "--run-id", "nope", "--runs-root", runs, "--", "sh", "-c", $"echo x >> '{count}'");
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("nope", missing.StandardError);
            Assert.Equal(2, File.ReadAllLines(count).Length); // the command never ran
        }

        [Fact]
        public async Task Sigint_stops_the_retry_wait_at_once()
        {
            // Through env --default-signal: a test run started in the background of a non-interactive shell inherits SIGINT
            // ignored, and .NET leaves an inherited ignore alone, as a program run under nohup should.
            var info = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in new[] { "--default-signal=INT" }.Concat(CliProcess.Command)
                .Concat(new[] { "retry", "-v", "--initial-delay", "3600", "--max-delay", "7200", "--no-jitter", "--", "sh", "-c", "exit 124" }))
            {
                info.ArgumentList.Add(argument);
            }

            using Process retry = Process.Start(info)!;
            Task<string> output = retry.StandardOutput.ReadToEndAsync();
            string? line;
            while ((line = await retry.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2))) != null && !line.Contains("Retrying in 3600 s"))
            {
            }

            Assert.NotNull(line); // It is in the hour-long wait now.
            Unix.Run("kill", "-INT", retry.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

            Assert.True(retry.WaitForExit(60_000), "retry did not stop waiting on SIGINT");
            Assert.Equal(130, retry.ExitCode);
            await output;
        }
    }
}
