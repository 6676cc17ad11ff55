namespace AgentState.Runs
{
    /// <summary>One run of a listing: its record, or why its run.json could not be read.</summary>
    public sealed class RunEntry
    {
        private RunEntry(RunRecord? record, RunCorruptException? corruption)
        {
            Record = record;
            Corruption = corruption;
        }

        /// <summary>The run, when it could be read.</summary>
        public RunRecord? Record { get; }

        /// <summary>Why it could not be read.</summary>
        public RunCorruptException? Corruption { get; }

        internal static RunEntry Read(RunRecord record) => new RunEntry(record, null);

        internal static RunEntry Corrupt(RunCorruptException corruption) => new RunEntry(null, corruption);
    }
}
