using System;
using System.Globalization;
using AgentState.Json;
using AgentState.Text;

namespace AgentState.Agents
{
    /// <summary>
    /// One agent's state file, <c>&lt;root&gt;/state/&lt;agent_id&gt;.json</c>: the seed's snake_case fields read into
    /// typed properties, over the whole JSON object, so that fields this module does not know survive every rewrite.
    /// </summary>
    public sealed class AgentStateRecord
    {
        internal AgentStateRecord(string path, string agentId, OrderedJsonObject fields, JsonTree? source, string? storeLocation = null)
        {
            Path = path;
            _storeLocation = storeLocation;
            AgentId = agentId;
            Fields = fields;
            Source = source;
        }

        private readonly string? _storeLocation;

        /// <summary>The state file; for a record held in a database, the store's location and the agent id.</summary>
        public string Path { get; }

        /// <summary>
        /// The store's root (the folder holding state/), or the location of the database store that holds the record
        /// (<see cref="IAgentStateStore.Location"/>), so that piped records stay in their store.
        /// </summary>
        public string Root => _storeLocation ?? System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(Path)!)!;

        /// <summary>The agent's id (the file's name).</summary>
        public string AgentId { get; }

        /// <summary>agent_name.</summary>
        public string? Name => Text(AgentStateFields.AgentName);

        /// <summary>agent_type (the seed's L1, L2...).</summary>
        public string? Type => Text(AgentStateFields.AgentType);

        /// <summary>parent_agent_id.</summary>
        public string? ParentId => Text(AgentStateFields.ParentAgentId);

        /// <summary>model.</summary>
        public string? Model => Text(AgentStateFields.Model);

        /// <summary>prompt.</summary>
        public string? Prompt => Text(AgentStateFields.Prompt);

        /// <summary>load_percentage.</summary>
        public double? LoadPercentage => Number(AgentStateFields.LoadPercentage);

        /// <summary>estimated_duration, in seconds as the seed writes it.</summary>
        public double? EstimatedDuration => Number(AgentStateFields.EstimatedDuration);

        /// <summary>status, as written in the file.</summary>
        public string? StatusText => Text(AgentStateFields.Status);

        /// <summary>status, when it is one this module knows; null otherwise.</summary>
        public AgentStatus? Status => AgentStatuses.TryParse(StatusText, out AgentStatus status) ? status : (AgentStatus?)null;

        /// <summary>True for pending, spawning and running.</summary>
        public bool IsIncomplete => Status?.IsIncomplete() ?? false;

        /// <summary>pid: the agent's process id.</summary>
        public int? ProcessId => Number(AgentStateFields.ProcessId) is double pid && pid >= 1 && pid <= int.MaxValue ? (int)pid : (int?)null;

        /// <summary>process_start_time: when that process started, so that a reused pid is not taken for the agent.</summary>
        public DateTimeOffset? ProcessStartTime => Time(AgentStateFields.ProcessStartTime);

        /// <summary>host: the machine the process runs on.</summary>
        public string? Host => Text(AgentStateFields.Host);

        /// <summary>progress, 0 to 100.</summary>
        public double? Progress => Number(AgentStateFields.Progress);

        /// <summary>progress_message.</summary>
        public string? ProgressMessage => Text(AgentStateFields.ProgressMessage);

        /// <summary>error, for a failed agent.</summary>
        public string? Error => Text(AgentStateFields.Error);

        /// <summary>started_at.</summary>
        public DateTimeOffset? StartedAt => Time(AgentStateFields.StartedAt);

        /// <summary>created_at.</summary>
        public DateTimeOffset? CreatedAt => Time(AgentStateFields.CreatedAt);

        /// <summary>last_updated.</summary>
        public DateTimeOffset? LastUpdated => Time(AgentStateFields.LastUpdated);

        /// <summary>completed_at.</summary>
        public DateTimeOffset? CompletedAt => Time(AgentStateFields.CompletedAt);

        /// <summary>failed_at.</summary>
        public DateTimeOffset? FailedAt => Time(AgentStateFields.FailedAt);

        /// <summary>cancelled_at.</summary>
        public DateTimeOffset? CancelledAt => Time(AgentStateFields.CancelledAt);

        /// <summary>
        /// When a finished agent finished: the stamp of its status (completed_at, failed_at, cancelled_at), else
        /// another finish stamp, else last_updated. Null while the agent is not finished: a running agent has not
        /// finished, whatever stamps an earlier run left.
        /// </summary>
        public DateTimeOffset? FinishedAt
        {
            get
            {
                switch (Status)
                {
                    case AgentStatus.Completed:
                        return CompletedAt ?? FailedAt ?? CancelledAt ?? LastUpdated;
                    case AgentStatus.Failed:
                        return FailedAt ?? CompletedAt ?? CancelledAt ?? LastUpdated;
                    case AgentStatus.Cancelled:
                        return CancelledAt ?? CompletedAt ?? FailedAt ?? LastUpdated;
                    default:
                        return null;
                }
            }
        }

        /// <summary>metadata (the cmdlets emit it as a PSCustomObject).</summary>
        internal OrderedJsonObject? Metadata => Fields.ContainsKey(AgentStateFields.Metadata) ? Fields[AgentStateFields.Metadata] as OrderedJsonObject : null;

        /// <summary>Every field of the file, known or not, in its order (the cmdlets emit it as a PSCustomObject).</summary>
        internal OrderedJsonObject Fields { get; }

        /// <summary>The document as read, for writing it back in its own layout; null for a new record.</summary>
        internal JsonTree? Source { get; }

        /// <summary>Reads a timestamp: ISO 8601, where one without an offset (the seed's) is local time.</summary>
        public static DateTimeOffset? ParseTime(string? text) => IsoTimestamp.Parse(text);

        /// <summary>A timestamp as the module writes it: ISO 8601 with the offset.</summary>
        public static string FormatTime(DateTimeOffset time) => IsoTimestamp.Format(time);

        /// <inheritdoc />
        public override string ToString() => $"{AgentId} ({StatusText})";

        private string? Text(string key) => Fields.ContainsKey(key) ? Fields[key] as string : null;

        private DateTimeOffset? Time(string key) => ParseTime(Text(key));

        private double? Number(string key)
        {
            if (!Fields.ContainsKey(key))
            {
                return null;
            }

            switch (Fields[key])
            {
                case long l: return l;
                case decimal m: return (double)m;
                case double d: return d;
                case System.Numerics.BigInteger b: return (double)b;
                case int i: return i;
                default: return null;
            }
        }
    }
}
