namespace AgentState.Retry
{
    /// <summary>How a backoff delay is drawn from its cap.</summary>
    public enum RetryJitter
    {
        /// <summary>Uniformly between zero and the cap ("full jitter"): many retrying callers spread out instead of colliding.</summary>
        Full,

        /// <summary>Exactly the cap: plain exponential backoff.</summary>
        None,
    }
}
