namespace AgentState.Retry
{
    /// <summary>
    /// Hears of every attempt: the seam through which -Verbose shows them and a run's events.jsonl records them.
    /// </summary>
    public interface IRetryObserver
    {
        /// <summary>Attempt <paramref name="number"/> (from 1) is about to start.</summary>
        void AttemptStarting(int number);

        /// <summary>An attempt failed; <see cref="RetryAttempt.Decision"/> says what follows.</summary>
        void AttemptFailed(RetryAttempt attempt);

        /// <summary>Attempt <paramref name="number"/> succeeded.</summary>
        void AttemptSucceeded(int number);
    }
}
