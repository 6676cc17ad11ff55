namespace AgentState.Cli
{
    /// <summary>The exit codes every agentstate command keeps to.</summary>
    public static class ExitCodes
    {
        /// <summary>It worked.</summary>
        public const int Success = 0;

        /// <summary>The operation failed; one line on standard error names the file and the reason.</summary>
        public const int Failure = 1;

        /// <summary>The command line was wrong.</summary>
        public const int Usage = 2;

        /// <summary><c>queue claim</c> found no due item within its wait.</summary>
        public const int NothingToClaim = 3;
    }
}
