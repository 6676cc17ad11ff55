using System;
using System.Management.Automation;
using AgentState.Stores;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>The errors of naming a store (agent state or work queue) that cannot be opened as named.</summary>
    internal static class StoreOpenErrors
    {
        /// <summary>
        /// StoreBackendUnavailable (a PostgreSQL store where its backend cannot load: Windows PowerShell 5.1) or
        /// InvalidStore (a malformed connection or path); null for any other failure. <paramref name="target"/> is never a
        /// connection text: it may hold a password.
        /// </summary>
        public static ErrorRecord? For(Exception ex, string? target) => ex switch
        {
            StoreBackendUnavailableException => new ErrorRecord(ex, "StoreBackendUnavailable", ErrorCategory.NotImplemented, target),
            ArgumentException => new ErrorRecord(new PSArgumentException(ex.Message, ex), "InvalidStore", ErrorCategory.InvalidArgument, target),
            _ => null,
        };
    }
}
