using System;
using AgentState.Runs;

namespace AgentState.Retry
{
    /// <summary>A failure that says which <see cref="RunErrorType"/> it is, so that retry can judge it.</summary>
    public class TypedFailureException : Exception
    {
        /// <summary>A failure of <paramref name="type"/>.</summary>
        public TypedFailureException(RunErrorType type, string message, Exception? inner = null)
            : base(message, inner) => Type = type;

        /// <summary>What kind of failure it is.</summary>
        public RunErrorType Type { get; }
    }
}
