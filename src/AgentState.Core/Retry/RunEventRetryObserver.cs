using System;
using AgentState.Json;
using AgentState.Runs;

namespace AgentState.Retry
{
    /// <summary>
    /// Appends each attempt of a retry to a run's events.jsonl (retry:attempt, retry:failure with the error, its type
    /// and the wait chosen, retry:success), so that a run's file says how often its work was tried and why, beside
    /// what the caller's own observer (-Verbose, stderr) shows. Every event is a durable append under the run's lock.
    /// </summary>
    public sealed class RunEventRetryObserver : IRetryObserver
    {
        /// <summary>The event types this observer appends.</summary>
        public const string AttemptEvent = "retry:attempt", FailureEvent = "retry:failure", SuccessEvent = "retry:success";

        private readonly RunStore _store;
        private readonly string _runId;
        private readonly int? _iteration;
        private readonly IRetryObserver? _inner;

        /// <summary>Records into run <paramref name="runId"/> of <paramref name="store"/>, then tells <paramref name="inner"/>.</summary>
        /// <exception cref="RunNotFoundException">There is no such run: checked now, before any attempt runs.</exception>
        public RunEventRetryObserver(RunStore store, string runId, int? iteration = null, IRetryObserver? inner = null)
        {
            _store = store ?? throw new ArgumentNullException(nameof(store));
            _runId = store.Get(runId).Id;
            _iteration = iteration;
            _inner = inner;
        }

        /// <inheritdoc />
        public void AttemptStarting(int number)
        {
            Append(AttemptEvent, new OrderedJsonObject { ["attempt"] = (long)number });
            _inner?.AttemptStarting(number);
        }

        /// <inheritdoc />
        public void AttemptFailed(RetryAttempt attempt)
        {
            var data = new OrderedJsonObject
            {
                ["attempt"] = (long)attempt.Number,
                ["errorType"] = attempt.Type.ToString(),
                ["error"] = attempt.Error.Message,
                ["exception"] = attempt.Error.GetType().FullName,
                ["retryable"] = attempt.Retryable,
                ["decision"] = attempt.Decision.ToString(),
                ["delayMs"] = attempt.Delay is TimeSpan delay ? (object)(long)Math.Round(delay.TotalMilliseconds) : null,
                ["elapsedMs"] = (long)Math.Round(attempt.Elapsed.TotalMilliseconds),
            };
            Append(FailureEvent, data);
            _inner?.AttemptFailed(attempt);
        }

        /// <inheritdoc />
        public void AttemptSucceeded(int number)
        {
            Append(SuccessEvent, new OrderedJsonObject { ["attempt"] = (long)number });
            _inner?.AttemptSucceeded(number);
        }

        private void Append(string type, OrderedJsonObject data) =>
            _store.AppendEvent(_runId, new RunEventDraft(type) { Iteration = _iteration, Data = data });
    }
}
