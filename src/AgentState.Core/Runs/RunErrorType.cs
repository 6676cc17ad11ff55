using System;

namespace AgentState.Runs
{
    /// <summary>What kind of failure ended an iteration or a run (seed 001's BuildErrorType, completed).</summary>
    public enum RunErrorType
    {
        /// <summary>The agent process died on a signal or exited with a non-zero code.</summary>
        AgentCrash,

        /// <summary>The type checker rejected the agent's work.</summary>
        TypecheckFailed,

        /// <summary>Tests failed.</summary>
        TestFailed,

        /// <summary>The agent ran past its time limit and was killed.</summary>
        Timeout,

        /// <summary>Verification failed for a reason other than types or tests.</summary>
        VerificationFailed,

        /// <summary>Something around the agent failed: a disk, the network, the capturing process itself.</summary>
        InfrastructureError,

        /// <summary>Stopped on request.</summary>
        Cancelled,

        /// <summary>A failure with no known type (a seed-form run.json's bare error string reads as this).</summary>
        Unknown,
    }

    /// <summary>The file text of <see cref="RunErrorType"/>.</summary>
    public static class RunErrorTypes
    {
        /// <summary>Reads a type by name ignoring case and underscores, so the seed's AGENT_CRASH reads as AgentCrash.</summary>
        public static bool TryParse(string? text, out RunErrorType type)
        {
            type = RunErrorType.Unknown;
            if (string.IsNullOrEmpty(text))
            {
                return false;
            }

            string squeezed = text!.Replace("_", string.Empty).Replace("-", string.Empty);
            foreach (RunErrorType candidate in (RunErrorType[])Enum.GetValues(typeof(RunErrorType)))
            {
                if (string.Equals(squeezed, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    type = candidate;
                    return true;
                }
            }

            return false;
        }

        /// <summary>Parses or throws a clear error listing the types.</summary>
        /// <exception cref="IO.InvalidInputException">Not a type.</exception>
        public static RunErrorType Parse(string text) => TryParse(text, out RunErrorType type) ? type
            : throw new IO.InvalidInputException($"'{text}' is not an error type; use one of {string.Join(", ", Enum.GetNames(typeof(RunErrorType)))}.", "errorType");

        /// <summary>The seed's run result for a run that failed with this type (failed_build, failed_verification ...).</summary>
        public static string ResultFor(RunErrorType type)
        {
            switch (type)
            {
                case RunErrorType.AgentCrash: return "failed_build";
                case RunErrorType.TypecheckFailed:
                case RunErrorType.TestFailed:
                case RunErrorType.VerificationFailed: return "failed_verification";
                case RunErrorType.Timeout: return "failed_timeout";
                case RunErrorType.Cancelled: return "canceled";
                default: return "failed_error";
            }
        }
    }
}
