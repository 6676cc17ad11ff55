using System;
using System.IO;

namespace AgentState.Agents
{
    /// <summary>A state file that cannot be read as an agent's state. It is reported, never skipped silently, never deleted.</summary>
    public sealed class AgentStateCorruptException : IOException
    {
        /// <summary>Creates the exception.</summary>
        public AgentStateCorruptException(string path, string reason, Exception? inner = null)
            : base($"The agent state file '{path}' is corrupt: {reason}. It was left as it is.", inner)
        {
            Path = path;
            Reason = reason;
        }

        /// <summary>The file.</summary>
        public string Path { get; }

        /// <summary>What is wrong with it.</summary>
        public string Reason { get; }
    }

    /// <summary>New-AgentState for an id that already has a state file.</summary>
    public sealed class AgentStateExistsException : IOException
    {
        /// <summary>Creates the exception.</summary>
        public AgentStateExistsException(string agentId, string path)
            : base($"The agent '{agentId}' already has a state file, '{path}'; overwriting it needs -Force.")
        {
            AgentId = agentId;
            Path = path;
        }

        /// <summary>The agent.</summary>
        public string AgentId { get; }

        /// <summary>Its state file.</summary>
        public string Path { get; }
    }

    /// <summary>No state file for the agent.</summary>
    public sealed class AgentStateNotFoundException : FileNotFoundException
    {
        /// <summary>Creates the exception.</summary>
        public AgentStateNotFoundException(string agentId, string path)
            : base($"The agent '{agentId}' has no state file ('{path}' does not exist).", path)
        {
            AgentId = agentId;
        }

        /// <summary>The agent.</summary>
        public string AgentId { get; }
    }

    /// <summary>A status change out of completed, failed or cancelled without Force.</summary>
    public sealed class AgentTransitionException : InvalidOperationException
    {
        /// <summary>Creates the exception.</summary>
        public AgentTransitionException(string agentId, string from, AgentStatus to)
            : base($"The agent '{agentId}' is {from}; changing it to {to.ToFileText()} needs -Force.")
        {
            AgentId = agentId;
            From = from;
            To = to;
        }

        /// <summary>The agent.</summary>
        public string AgentId { get; }

        /// <summary>Its current status.</summary>
        public string From { get; }

        /// <summary>The status asked for.</summary>
        public AgentStatus To { get; }
    }

    /// <summary>
    /// A store whose root folder does not exist. Reading it is an error, never an empty answer, so that a
    /// scheduled task pointed at a wrong path notices.
    /// </summary>
    public sealed class AgentStoreNotFoundException : DirectoryNotFoundException
    {
        /// <summary>Creates the exception.</summary>
        public AgentStoreNotFoundException(string root)
            : base($"Cannot find the agent store '{root}': the folder does not exist.")
        {
            Root = root;
        }

        /// <summary>Creates the exception for a store that is not a folder, with the reason it was not found.</summary>
        public AgentStoreNotFoundException(string location, string message)
            : base(message)
        {
            Root = location;
        }

        /// <summary>The store's root folder (or the location of a database store).</summary>
        public string Root { get; }
    }
}
