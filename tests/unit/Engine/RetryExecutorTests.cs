using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AgentState.Retry;
using AgentState.Runs;
using Xunit;

namespace AgentState.Tests.Engine
{
    public sealed class RetryExecutorTests
    {
        [Fact]
        public void The_cap_grows_by_the_multiplier_up_to_the_maximum()
        {
            var policy = new RetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(100), Multiplier = 2, MaxDelay = TimeSpan.FromSeconds(1) };

            TimeSpan[] caps = Enumerable.Range(1, 7).Select(policy.CapFor).ToArray();

            Assert.Equal(new[] { 100, 200, 400, 800, 1000, 1000, 1000 }, caps.Select(c => (int)c.TotalMilliseconds));
            Assert.Equal(TimeSpan.FromSeconds(1), policy.CapFor(5000)); // the power overflows a double long before this
        }

        [Fact]
        public void Full_jitter_draws_each_delay_between_zero_and_its_cap()
        {
            var clock = new FakeClock();
            var random = new FixedRandom(0.5, 0.25, 1.0, 0.0);
            var policy = new RetryPolicy { MaxAttempts = 5, InitialDelay = TimeSpan.FromMilliseconds(100), Multiplier = 2, MaxDelay = TimeSpan.FromSeconds(10) };
            var executor = new RetryExecutor(policy, null, clock, random);

            Assert.Throws<TimeoutException>(() => executor.Run(_ => throw new TimeoutException("slow")));

            Assert.Equal(new[] { 50.0, 50.0, 400.0, 0.0 }, clock.Waits.Select(w => w.TotalMilliseconds));
        }

        [Fact]
        public void A_fixed_seed_gives_the_same_backoff_sequence_as_that_seed_draws()
        {
            var policy = new RetryPolicy { MaxAttempts = 8, InitialDelay = TimeSpan.FromMilliseconds(10), Multiplier = 3, MaxDelay = TimeSpan.FromSeconds(5) };
            var first = new FakeClock();
            var second = new FakeClock();

            Assert.Throws<IOException>(() => new RetryExecutor(policy, null, first, new SystemRetryRandom(1234)).Run(_ => throw new IOException("disk")));
            Assert.Throws<IOException>(() => new RetryExecutor(policy, null, second, new SystemRetryRandom(1234)).Run(_ => throw new IOException("disk")));

            var draws = new Random(1234);
            long[] expected = Enumerable.Range(1, 7).Select(n => (long)Math.Round(policy.CapFor(n).Ticks * draws.NextDouble())).ToArray();
            Assert.Equal(expected, first.Waits.Select(w => w.Ticks));
            Assert.Equal(expected, second.Waits.Select(w => w.Ticks));
        }

        [Fact]
        public void No_jitter_waits_exactly_the_cap()
        {
            var clock = new FakeClock();
            var policy = new RetryPolicy { MaxAttempts = 4, InitialDelay = TimeSpan.FromSeconds(1), Multiplier = 1.5, MaxDelay = TimeSpan.FromSeconds(2), Jitter = RetryJitter.None };

            Assert.Throws<TimeoutException>(() => new RetryExecutor(policy, null, clock, new FixedRandom()).Run(_ => throw new TimeoutException()));

            Assert.Equal(new[] { 1000.0, 1500.0, 2000.0 }, clock.Waits.Select(w => w.TotalMilliseconds));
        }

        [Fact]
        public void A_success_after_failures_returns_its_value_and_the_observer_hears_every_attempt()
        {
            var clock = new FakeClock();
            var observer = new RecordingObserver();
            var executor = new RetryExecutor(new RetryPolicy { MaxAttempts = 5 }, null, clock, new FixedRandom(0.5, 0.5));

            string result = executor.Run(n => n < 3 ? throw new TypedFailureException(RunErrorType.AgentCrash, "crash " + n) : "done at " + n, observer);

            Assert.Equal("done at 3", result);
            Assert.Equal(new[] { "start 1", "fail 1 AgentCrash Retry 500", "start 2", "fail 2 AgentCrash Retry 1000", "start 3", "ok 3" }, observer.Events);
        }

        [Fact]
        public void When_attempts_run_out_the_last_error_is_rethrown_unchanged()
        {
            var thrown = new List<Exception>();
            var executor = new RetryExecutor(new RetryPolicy { MaxAttempts = 3 }, null, new FakeClock(), new FixedRandom(0.1, 0.1));
            var observer = new RecordingObserver();

            var error = Assert.Throws<TimeoutException>(() => executor.Run(n => ThrowFrom(thrown, n), observer));

            Assert.Equal(3, thrown.Count);
            Assert.Same(thrown[2], error);
            Assert.Contains(nameof(ThrowFrom), error.StackTrace);
            Assert.Equal("fail 3 Timeout AttemptsExhausted -", observer.Events.Last());
        }

        [Theory]
        [InlineData(RunErrorType.TypecheckFailed)]
        [InlineData(RunErrorType.TestFailed)]
        [InlineData(RunErrorType.VerificationFailed)]
        [InlineData(RunErrorType.Cancelled)]
        [InlineData(RunErrorType.Unknown)]
        public void A_failure_that_is_not_retryable_is_thrown_after_one_attempt(RunErrorType type)
        {
            var clock = new FakeClock();
            int attempts = 0;
            var failure = new TypedFailureException(type, "no");

            var error = Assert.Throws<TypedFailureException>(() => new RetryExecutor(new RetryPolicy { MaxAttempts = 5 }, null, clock, new FixedRandom()).Run(_ => { attempts++; throw failure; }));

            Assert.Same(failure, error);
            Assert.Equal(1, attempts);
            Assert.Empty(clock.Waits);
        }

        [Theory]
        [InlineData(RunErrorType.TypecheckFailed)]
        [InlineData(RunErrorType.TestFailed)]
        [InlineData(RunErrorType.VerificationFailed)]
        public void Naming_a_never_retried_type_is_refused(RunErrorType type)
        {
            var error = Assert.Throws<ArgumentException>(() => new RetryClassifier(new[] { RunErrorType.Timeout, type }, null, null, null));

            Assert.Contains(type.ToString(), error.Message);
        }

        [Fact]
        public void A_predicate_cannot_make_a_test_failure_retryable()
        {
            var classifier = new RetryClassifier(null, new[] { typeof(TypedFailureException) }, (_, _) => true, null);

            Assert.False(classifier.IsRetryable(new TypedFailureException(RunErrorType.TestFailed, "red"), RunErrorType.TestFailed));
            Assert.True(classifier.IsRetryable(new InvalidOperationException(), RunErrorType.Unknown));
        }

        [Fact]
        public void Exception_types_and_a_predicate_widen_what_is_retried()
        {
            var byType = new RetryClassifier(null, new[] { typeof(InvalidOperationException) }, null, null);
            var byPredicate = new RetryClassifier(null, null, (e, _) => e.Message.Contains("flaky"), null);
            var plain = new RetryClassifier();

            Assert.True(byType.IsRetryable(new ObjectDisposedException("x"), RunErrorType.Unknown)); // a subclass
            Assert.False(byType.IsRetryable(new ArgumentException("x"), RunErrorType.Unknown));
            Assert.True(byType.IsRetryable(new Exception("host wrapper", new InvalidOperationException("inner")), RunErrorType.Unknown));
            Assert.True(byPredicate.IsRetryable(new ArgumentException("flaky network"), RunErrorType.Unknown));
            Assert.False(byPredicate.IsRetryable(new ArgumentException("bad input"), RunErrorType.Unknown));
            Assert.False(plain.IsRetryable(new InvalidOperationException(), RunErrorType.Unknown));
        }

        [Fact]
        public void Only_the_given_types_are_retried_when_types_are_given()
        {
            var classifier = new RetryClassifier(new[] { RunErrorType.Timeout }, null, null, null);

            Assert.True(classifier.IsRetryable(new TimeoutException(), RunErrorType.Timeout));
            Assert.False(classifier.IsRetryable(new IOException(), RunErrorType.InfrastructureError));
        }

        [Fact]
        public void The_built_in_reading_types_timeouts_io_cancellation_and_wrapped_failures()
        {
            Assert.Equal(RunErrorType.Timeout, RetryClassifier.DefaultTypeOf(new TimeoutException()));
            Assert.Equal(RunErrorType.InfrastructureError, RetryClassifier.DefaultTypeOf(new IOException()));
            Assert.Equal(RunErrorType.InfrastructureError, RetryClassifier.DefaultTypeOf(new System.Net.Http.HttpRequestException()));
            Assert.Equal(RunErrorType.Cancelled, RetryClassifier.DefaultTypeOf(new OperationCanceledException()));
            Assert.Equal(RunErrorType.TestFailed, RetryClassifier.DefaultTypeOf(new InvalidOperationException("outer", new TypedFailureException(RunErrorType.TestFailed, "inner"))));
            Assert.Equal(RunErrorType.Unknown, RetryClassifier.DefaultTypeOf(new InvalidOperationException()));
        }

        [Fact]
        public void A_given_type_reader_goes_before_the_built_in_rules()
        {
            var classifier = new RetryClassifier(null, null, null, e => e.Message == "tsc" ? RunErrorType.TypecheckFailed : (RunErrorType?)null);

            Assert.Equal(RunErrorType.TypecheckFailed, classifier.TypeOf(new TimeoutException("tsc")));
            Assert.Equal(RunErrorType.Timeout, classifier.TypeOf(new TimeoutException("other")));
        }

        [Fact]
        public void No_wait_is_begun_that_would_end_past_the_deadline()
        {
            var clock = new FakeClock();
            var observer = new RecordingObserver();
            var policy = new RetryPolicy { MaxAttempts = 100, InitialDelay = TimeSpan.FromSeconds(1), Multiplier = 2, MaxDelay = TimeSpan.FromSeconds(60), Jitter = RetryJitter.None, Deadline = TimeSpan.FromSeconds(10) };
            int attempts = 0;

            // Each attempt takes 1 s: 1 + 1 + 1 + 2 + 1 + 4 = 10 s would reach the deadline exactly at the 4th wait's end.
            Assert.Throws<TimeoutException>(() => new RetryExecutor(policy, null, clock, new FixedRandom()).Run(_ => { attempts++; clock.Advance(TimeSpan.FromSeconds(1)); throw new TimeoutException(); }, observer));

            Assert.Equal(3, attempts);
            Assert.Equal(new[] { 1.0, 2.0 }, clock.Waits.Select(w => w.TotalSeconds));
            Assert.Equal("fail 3 Timeout DeadlineReached -", observer.Events.Last());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        }

        [Fact]
        public async Task Cancelling_stops_a_long_wait_at_once()
        {
            using var cancel = new CancellationTokenSource();
            var observer = new RecordingObserver { OnFailure = () => cancel.Cancel() };
            var policy = new RetryPolicy { MaxAttempts = 2, InitialDelay = TimeSpan.FromHours(1), Jitter = RetryJitter.None };
            int attempts = 0;

            // The real clock: the cancellation arrives while the hour-long wait has begun (or just before), and ends it.
            Task run = Task.Run(() => new RetryExecutor(policy).Run(_ => { attempts++; throw new TimeoutException(); }, observer, cancel.Token));

            Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(2))) == run, "the hour-long wait did not end on cancellation");
            Assert.IsAssignableFrom<OperationCanceledException>(Assert.Single(run.Exception!.InnerExceptions));
            Assert.Equal(1, attempts);
        }

        [Fact]
        public async Task The_real_clock_wakes_a_waiter_blocked_in_the_wait_when_cancelled()
        {
            using var cancel = new CancellationTokenSource();
            using var waiting = new ManualResetEventSlim();
            Task wait = Task.Run(() => { waiting.Set(); SystemRetryClock.Instance.Wait(TimeSpan.FromHours(1), cancel.Token); });
            await Task.Run(() => waiting.Wait());

            cancel.Cancel();

            Assert.True(await Task.WhenAny(wait, Task.Delay(TimeSpan.FromMinutes(2))) == wait, "the hour-long wait did not end on cancellation");
            var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
            Assert.Equal(cancel.Token, error.CancellationToken);
        }

        [Theory]
        [InlineData(124, RunErrorType.Timeout)]
        [InlineData(75, RunErrorType.InfrastructureError)]
        [InlineData(130, RunErrorType.Cancelled)]
        [InlineData(137, RunErrorType.AgentCrash)]
        [InlineData(139, RunErrorType.AgentCrash)]
        [InlineData(1, RunErrorType.Unknown)]
        [InlineData(2, RunErrorType.Unknown)]
        [InlineData(255, RunErrorType.Unknown)]
        public void A_process_exit_code_is_typed_by_the_shell_conventions(int code, RunErrorType type)
        {
            var failure = new ProcessExitFailure("make", code);

            Assert.Equal(type, failure.Type);
            Assert.Contains($"code {code}", failure.Message);
        }

        [Fact]
        public void Bad_policy_values_are_refused()
        {
            var policy = new RetryPolicy();

            Assert.Throws<ArgumentOutOfRangeException>(() => policy.MaxAttempts = 0);
            Assert.Throws<ArgumentOutOfRangeException>(() => policy.Multiplier = 0.5);
            Assert.Throws<ArgumentOutOfRangeException>(() => policy.InitialDelay = TimeSpan.FromSeconds(-1));
            Assert.Throws<ArgumentOutOfRangeException>(() => policy.Deadline = TimeSpan.Zero);
        }

        private static int ThrowFrom(List<Exception> thrown, int attempt)
        {
            var error = new TimeoutException("attempt " + attempt);
            thrown.Add(error);
            throw error;
        }

        [Fact]
        public void With_a_run_every_attempt_failure_and_success_is_appended_to_its_events_in_order()
        {
            using var folder = new AgentState.Tests.Support.TestFolder();
            var store = new RunStore(folder.Path);
            store.Create(new RunDraft { Id = "r1" });
            var inner = new RecordingObserver();
            var observer = new RunEventRetryObserver(store, "r1", iteration: 2, inner);
            var executor = new RetryExecutor(new RetryPolicy { MaxAttempts = 5, InitialDelay = TimeSpan.FromMilliseconds(100) }, null, new FakeClock(), new FixedRandom(0.5));

            string result = executor.Run(n => n < 2 ? throw new TimeoutException("slow " + n) : "done", observer);

            Assert.Equal("done", result);
            var retryEvents = store.ReadEvents("r1").Where(e => e.Type!.StartsWith("retry:", StringComparison.Ordinal)).ToList();
            Assert.Equal(new[] { "retry:attempt", "retry:failure", "retry:attempt", "retry:success" }, retryEvents.Select(e => e.Type));
            Assert.All(retryEvents, e => Assert.Equal(2, e.Iteration));
            Assert.Equal(retryEvents.Select(e => e.Sequence).OrderBy(n => n), retryEvents.Select(e => e.Sequence));
            var failure = retryEvents[1].Data!;
            Assert.Equal(1L, failure["attempt"]);
            Assert.Equal("Timeout", failure["errorType"]);
            Assert.Equal("slow 1", failure["error"]);
            Assert.Equal("System.TimeoutException", failure["exception"]);
            Assert.Equal(true, failure["retryable"]);
            Assert.Equal("Retry", failure["decision"]);
            Assert.Equal(50L, failure["delayMs"]);
            Assert.Equal(2L, retryEvents[3].Data!["attempt"]);
            // The caller's own observer (-Verbose, stderr) still hears everything.
            Assert.Equal(new[] { "start 1", "fail 1 Timeout Retry 50", "start 2", "ok 2" }, inner.Events);
        }

        [Fact]
        public void A_retry_into_a_run_that_does_not_exist_fails_before_any_attempt()
        {
            using var folder = new AgentState.Tests.Support.TestFolder();
            var store = new RunStore(folder.Path);

            var error = Assert.Throws<RunNotFoundException>(() => new RunEventRetryObserver(store, "missing"));

            Assert.Contains("missing", error.Message);
            Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
        }

        private sealed class FakeClock : IRetryClock
        {
            public List<TimeSpan> Waits { get; } = new List<TimeSpan>();

            public TimeSpan Elapsed { get; private set; }

            public void Advance(TimeSpan by) => Elapsed += by;

            public void Wait(TimeSpan delay, CancellationToken cancellation)
            {
                cancellation.ThrowIfCancellationRequested();
                Waits.Add(delay);
                Elapsed += delay;
            }
        }

        private sealed class FixedRandom : IRetryRandom
        {
            private readonly Queue<double> _values;

            public FixedRandom(params double[] values) => _values = new Queue<double>(values);

            public double NextFraction() => _values.Dequeue();
        }

        private sealed class RecordingObserver : IRetryObserver
        {
            public List<string> Events { get; } = new List<string>();

            public Action? OnFailure { get; set; }

            public void AttemptStarting(int number) => Events.Add("start " + number);

            public void AttemptFailed(RetryAttempt attempt)
            {
                Events.Add($"fail {attempt.Number} {attempt.Type} {attempt.Decision} {(attempt.Delay is TimeSpan d ? d.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-")}");
                OnFailure?.Invoke();
            }

            public void AttemptSucceeded(int number) => Events.Add("ok " + number);
        }
    }
}
