using System;
using AgentState.Runs;

namespace AgentState.Retry
{
    /// <summary>One failed attempt: its error, how it was judged, and the delay chosen before the next.</summary>
    public sealed class RetryAttempt
    {
        /// <summary>Creates the record of a failed attempt.</summary>
        public RetryAttempt(int number, Exception error, RunErrorType type, bool retryable, RetryDecision decision, TimeSpan? delay, TimeSpan elapsed)
        {
            Number = number;
            Error = error;
            Type = type;
            Retryable = retryable;
            Decision = decision;
            Delay = delay;
            Elapsed = elapsed;
        }

        /// <summary>The attempt, from 1.</summary>
        public int Number { get; }

        /// <summary>What it threw.</summary>
        public Exception Error { get; }

        /// <summary>The failure's type.</summary>
        public RunErrorType Type { get; }

        /// <summary>Whether the classifier called it retryable.</summary>
        public bool Retryable { get; }

        /// <summary>What follows.</summary>
        public RetryDecision Decision { get; }

        /// <summary>The wait before the next attempt when <see cref="Decision"/> is <see cref="RetryDecision.Retry"/>; else null.</summary>
        public TimeSpan? Delay { get; }

        /// <summary>Time since the first attempt started, when this one failed.</summary>
        public TimeSpan Elapsed { get; }
    }
}
