namespace AgentState.Retry
{
    /// <summary>What happened after a failed attempt.</summary>
    public enum RetryDecision
    {
        /// <summary>Another attempt follows after the delay.</summary>
        Retry,

        /// <summary>The failure is not retryable: it is rethrown.</summary>
        NotRetryable,

        /// <summary>That was the last attempt allowed: the failure is rethrown.</summary>
        AttemptsExhausted,

        /// <summary>The next attempt would start past the deadline: the failure is rethrown.</summary>
        DeadlineReached,
    }
}
