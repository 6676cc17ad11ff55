using System;
using AgentState.Runs;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace AgentState.Retry
{
    /// <summary>
    /// Runs an action until it succeeds, its failure is not retryable, the attempts run out or the deadline would be
    /// passed; then the last failure is rethrown unchanged (same exception, same stack). Cancellation ends a wait at once.
    /// </summary>
    public sealed class RetryExecutor
    {
        private readonly RetryPolicy _policy;
        private readonly RetryClassifier _classifier;
        private readonly IRetryClock _clock;
        private readonly IRetryRandom _random;

        /// <summary>An executor with the real clock and an unseeded random source unless others are given.</summary>
        public RetryExecutor(RetryPolicy policy, RetryClassifier? classifier = null, IRetryClock? clock = null, IRetryRandom? random = null)
        {
            _policy = policy ?? throw new ArgumentNullException(nameof(policy));
            _classifier = classifier ?? new RetryClassifier();
            _clock = clock ?? SystemRetryClock.Instance;
            _random = random ?? new SystemRetryRandom();
        }

        /// <summary>Runs <paramref name="attempt"/> (given the attempt's number, from 1) under the policy.</summary>
        /// <exception cref="OperationCanceledException">Cancelled while waiting (or the action itself was cancelled).</exception>
        public T Run<T>(Func<int, T> attempt, IRetryObserver? observer = null, CancellationToken cancellation = default)
        {
            if (attempt == null)
            {
                throw new ArgumentNullException(nameof(attempt));
            }

            TimeSpan start = _clock.Elapsed;
            for (int number = 1; ; number++)
            {
                cancellation.ThrowIfCancellationRequested();
                observer?.AttemptStarting(number);
                T result;
                try
                {
                    result = attempt(number);
                }
                catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception error)
                {
                    TimeSpan? delay = Judge(number, error, start, observer);
                    if (delay == null)
                    {
                        ExceptionDispatchInfo.Capture(error).Throw();
                    }

                    _clock.Wait(delay!.Value, cancellation);
                    continue;
                }

                observer?.AttemptSucceeded(number);
                return result;
            }
        }

        /// <summary>Runs <paramref name="attempt"/> under the policy.</summary>
        public void Run(Action<int> attempt, IRetryObserver? observer = null, CancellationToken cancellation = default)
        {
            if (attempt == null)
            {
                throw new ArgumentNullException(nameof(attempt));
            }

            Run<bool>(n => { attempt(n); return true; }, observer, cancellation);
        }

        /// <summary>The wait before the next attempt, or null to give up; the observer hears the verdict either way.</summary>
        private TimeSpan? Judge(int number, Exception error, TimeSpan start, IRetryObserver? observer)
        {
            RunErrorType type = _classifier.TypeOf(error);
            bool retryable = _classifier.IsRetryable(error, type);
            TimeSpan elapsed = _clock.Elapsed - start;
            RetryDecision decision;
            TimeSpan? delay = null;
            if (!retryable)
            {
                decision = RetryDecision.NotRetryable;
            }
            else if (number >= _policy.MaxAttempts)
            {
                decision = RetryDecision.AttemptsExhausted;
            }
            else
            {
                TimeSpan chosen = _policy.DelayFor(number, _random);
                if (_policy.Deadline is TimeSpan deadline && elapsed + chosen >= deadline)
                {
                    // Waiting only to start an attempt the deadline forbids would spend the budget for nothing.
                    decision = RetryDecision.DeadlineReached;
                }
                else
                {
                    decision = RetryDecision.Retry;
                    delay = chosen;
                }
            }

            observer?.AttemptFailed(new RetryAttempt(number, error, type, retryable, decision, delay, elapsed));
            return delay;
        }
    }
}
