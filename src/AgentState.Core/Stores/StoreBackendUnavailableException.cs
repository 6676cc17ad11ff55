using System;

namespace AgentState.Stores
{
    /// <summary>A store was named whose backend cannot run here (e.g. PostgreSQL on Windows PowerShell 5.1).</summary>
    public sealed class StoreBackendUnavailableException : NotSupportedException
    {
        /// <summary>Creates the exception.</summary>
        public StoreBackendUnavailableException(string message, Exception? inner = null)
            : base(message, inner)
        {
        }
    }
}
