namespace AgentState.Retry
{
    /// <summary>
    /// The typed failures of seed 001's runs, in the run store's names. Retry decides by these: by default timeouts,
    /// crashes and infrastructure errors are tried again; type-check, test and verification failures never are,
    /// because running the same code again cannot change their outcome.
    /// </summary>
    public enum FailureType
    {
        /// <summary>The agent process died (a signal, an unhandled crash).</summary>
        AgentCrash,

        /// <summary>The code did not type-check.</summary>
        TypecheckFailed,

        /// <summary>The tests failed.</summary>
        TestFailed,

        /// <summary>The work took too long.</summary>
        Timeout,

        /// <summary>Verification rejected the result.</summary>
        VerificationFailed,

        /// <summary>Something around the work failed: the network, the disk, a service.</summary>
        InfrastructureError,

        /// <summary>Someone stopped it.</summary>
        Cancelled,

        /// <summary>Nothing says what it was.</summary>
        Unknown,
    }
}
