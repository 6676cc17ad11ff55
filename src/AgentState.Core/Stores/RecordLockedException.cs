using System;
using System.Globalization;
using System.IO;

namespace AgentState.Stores
{
    /// <summary>Another client held a record's row lock for longer than the caller would wait; nothing was changed.</summary>
    public sealed class RecordLockedException : IOException
    {
        /// <summary>Creates the exception.</summary>
        public RecordLockedException(string location, string agentId, TimeSpan waited, Exception? inner = null)
            : base($"Cannot change the agent '{agentId}' in '{location}': another client holds its row lock; gave up after {waited.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s. Nothing was changed.", inner)
        {
            AgentId = agentId;
        }

        /// <summary>The agent.</summary>
        public string AgentId { get; }
    }
}
