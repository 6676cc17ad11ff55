using System;

namespace AgentState.Runs
{
    /// <summary>Where a run is in its life, as run.json's <c>state</c> says it.</summary>
    public enum RunState
    {
        /// <summary>Created, not started.</summary>
        Queued,

        /// <summary>An iteration has started.</summary>
        Running,

        /// <summary>Finished and passed.</summary>
        Succeeded,

        /// <summary>Finished with an error.</summary>
        Failed,

        /// <summary>Stopped on request.</summary>
        Cancelled,
    }

    /// <summary>The file text of <see cref="RunState"/>.</summary>
    public static class RunStates
    {
        /// <summary>The lower-case text written in run.json.</summary>
        public static string ToFileText(this RunState state) => state.ToString().ToLowerInvariant();

        /// <summary>True for succeeded, failed and cancelled.</summary>
        public static bool IsFinished(this RunState state) => state == RunState.Succeeded || state == RunState.Failed || state == RunState.Cancelled;

        /// <summary>Reads a state, ignoring case; "canceled" is taken for cancelled. False for anything else.</summary>
        public static bool TryParse(string? text, out RunState state)
        {
            state = RunState.Queued;
            if (string.IsNullOrEmpty(text))
            {
                return false;
            }

            if (string.Equals(text, "canceled", StringComparison.OrdinalIgnoreCase))
            {
                state = RunState.Cancelled;
                return true;
            }

            foreach (RunState candidate in (RunState[])Enum.GetValues(typeof(RunState)))
            {
                if (string.Equals(text, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    state = candidate;
                    return true;
                }
            }

            return false;
        }
    }
}
