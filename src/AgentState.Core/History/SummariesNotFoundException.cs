using System.IO;

namespace AgentState.History
{
    /// <summary>
    /// A rebuild with no summary to rebuild from. Writing an empty history would replace what a person may
    /// still recover with nothing, so it is an error and nothing is written.
    /// </summary>
    public sealed class SummariesNotFoundException : FileNotFoundException
    {
        /// <summary>Creates the exception.</summary>
        public SummariesNotFoundException(string stateFolder)
            : base($"Cannot rebuild the history of '{stateFolder}': it has no *{SummaryFileName.Suffix} files (looked in summaries/ and .planning/phases/). Nothing was written.", stateFolder)
        {
            StateFolder = stateFolder;
        }

        /// <summary>The run's state folder.</summary>
        public string StateFolder { get; }
    }
}
