using AgentState.Json;

namespace AgentState.Agents
{
    /// <summary>A change to an existing agent's state; null members are left as they are.</summary>
    public sealed class AgentStateChange
    {
        /// <summary>The new status.</summary>
        public AgentStatus? Status { get; set; }

        /// <summary>The new progress, 0 to 100.</summary>
        public double? Progress { get; set; }

        /// <summary>progress_message.</summary>
        public string? Message { get; set; }

        /// <summary>error (usually with <see cref="AgentStatus.Failed"/>).</summary>
        public string? ErrorMessage { get; set; }

        /// <summary>pid.</summary>
        public int? ProcessId { get; set; }

        /// <summary>Keys to add to metadata or replace in it; other keys are kept.</summary>
        public OrderedJsonObject? Metadata { get; set; }

        /// <summary>Allow a finished agent (completed, failed, cancelled) to change status.</summary>
        public bool Force { get; set; }
    }
}
