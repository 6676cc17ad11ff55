using System;
using System.IO;

namespace AgentState.Stores
{
    /// <summary>
    /// A database store could not be reached or stopped answering (connection refused, timeout, server restart). The
    /// message says whether the operation may have taken effect: <see cref="OutcomeUnknown"/> is true only when the
    /// failure came after the commit was sent, so that the caller checks before doing it again.
    /// </summary>
    public sealed class StoreUnavailableException : IOException
    {
        /// <summary>Creates the exception.</summary>
        public StoreUnavailableException(string message, bool outcomeUnknown, Exception? inner = null)
            : base(message, inner)
        {
            OutcomeUnknown = outcomeUnknown;
        }

        /// <summary>True when the change may or may not have been committed; false when it certainly was not.</summary>
        public bool OutcomeUnknown { get; }
    }
}
