using System;

namespace AgentState.Stores
{
    /// <summary>A database store whose schema this module cannot use as it is (older without the flag to migrate it, or newer); nothing was changed.</summary>
    public sealed class StoreSchemaException : InvalidOperationException
    {
        /// <summary>Creates the exception.</summary>
        public StoreSchemaException(string message)
            : base(message)
        {
        }
    }
}
