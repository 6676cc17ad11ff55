using System;

namespace AgentState.Retry
{
    /// <summary>A failure that says which <see cref="FailureType"/> it is, so that retry can judge it.</summary>
    public class TypedFailureException : Exception
    {
        /// <summary>A failure of <paramref name="type"/>.</summary>
        public TypedFailureException(FailureType type, string message, Exception? inner = null)
            : base(message, inner) => Type = type;

        /// <summary>What kind of failure it is.</summary>
        public FailureType Type { get; }
    }
}
