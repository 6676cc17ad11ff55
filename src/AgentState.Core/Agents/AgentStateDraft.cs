using AgentState.Json;

namespace AgentState.Agents
{
    /// <summary>What a new agent's state file starts with.</summary>
    public sealed class AgentStateDraft
    {
        /// <summary>Creates a draft; the id is validated when the record is written.</summary>
        public AgentStateDraft(string agentId, string name, string type)
        {
            AgentId = agentId;
            Name = name;
            Type = type;
        }

        /// <summary>agent_id.</summary>
        public string AgentId { get; }

        /// <summary>agent_name.</summary>
        public string Name { get; }

        /// <summary>agent_type.</summary>
        public string Type { get; }

        /// <summary>parent_agent_id.</summary>
        public string? ParentId { get; set; }

        /// <summary>model.</summary>
        public string? Model { get; set; }

        /// <summary>prompt.</summary>
        public string? Prompt { get; set; }

        /// <summary>load_percentage.</summary>
        public double? LoadPercentage { get; set; }

        /// <summary>estimated_duration in seconds.</summary>
        public double? EstimatedDuration { get; set; }

        /// <summary>status; pending by default.</summary>
        public AgentStatus Status { get; set; } = AgentStatus.Pending;

        /// <summary>pid.</summary>
        public int? ProcessId { get; set; }

        /// <summary>metadata: a JSON object (see <see cref="JsonValueConverter"/> for turning other values into one).</summary>
        public OrderedJsonObject? Metadata { get; set; }
    }
}
