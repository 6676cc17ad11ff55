using System;
using AgentState.Json;

namespace AgentState.Runs
{
    /// <summary>
    /// A run's <c>run.json</c>: the seed's fields (id, workOrderId, state, result, error, sessionId) and this module's
    /// additions (timestamps, the iteration reached, the typed error, metadata), over the whole object.
    /// </summary>
    public sealed class RunRecord : RunDocument
    {
        internal RunRecord(string path, OrderedJsonObject fields, JsonTree? source)
            : base(path, fields, source)
        {
        }

        /// <summary>id as written (the folder's name when absent).</summary>
        public string Id => Text(RunFields.Id) ?? RunId;

        /// <summary>workOrderId.</summary>
        public string? WorkOrderId => Text(RunFields.WorkOrderId);

        /// <summary>sessionId.</summary>
        public string? SessionId => Text(RunFields.SessionId);

        /// <summary>state, as written.</summary>
        public string? StateText => Text(RunFields.State);

        /// <summary>state, when it is one this module knows.</summary>
        public RunState? State => RunStates.TryParse(StateText, out RunState state) ? state : (RunState?)null;

        /// <summary>result (the seed's failed_build, passed ...).</summary>
        public string? Result => Text(RunFields.Result);

        /// <summary>The typed error: errorDetails, else the seed's error string as an Unknown error.</summary>
        public RunError? Error => RunError.FromJson(JsonFields.Value(Fields, RunFields.ErrorDetails)) ?? RunError.FromJson(JsonFields.Value(Fields, RunFields.Error));

        /// <summary>The last iteration started or saved (0 before the first).</summary>
        public int Iteration => Int(RunFields.Iteration) ?? 0;

        /// <summary>createdAt.</summary>
        public DateTimeOffset? CreatedAt => Time(RunFields.CreatedAt);

        /// <summary>startedAt: when the first iteration started.</summary>
        public DateTimeOffset? StartedAt => Time(RunFields.StartedAt);

        /// <summary>completedAt.</summary>
        public DateTimeOffset? CompletedAt => Time(RunFields.CompletedAt);

        /// <summary>updatedAt.</summary>
        public DateTimeOffset? UpdatedAt => Time(RunFields.UpdatedAt);

        /// <summary>
        /// True when the run says running but the process that was capturing its last iteration has died: what it
        /// captured is in the files, and the run will not finish by itself.
        /// </summary>
        public bool Interrupted { get; internal set; }

        /// <summary>The state to show: "interrupted" for an interrupted run, else the state as written.</summary>
        public string? DisplayState => Interrupted ? "interrupted" : StateText;

        /// <summary>metadata.</summary>
        internal OrderedJsonObject? Metadata => JsonFields.Object(Fields, RunFields.Metadata);

        /// <inheritdoc />
        public override string ToString() => $"{Id} ({DisplayState})";
    }

    /// <summary>The field names of run.json (camelCase, as the seed writes them).</summary>
    public static class RunFields
    {
#pragma warning disable CS1591 // The names say it.
        public const string Id = "id";
        public const string WorkOrderId = "workOrderId";
        public const string State = "state";
        public const string Result = "result";
        public const string Error = "error";
        public const string ErrorDetails = "errorDetails";
        public const string SessionId = "sessionId";
        public const string Iteration = "iteration";
        public const string CreatedAt = "createdAt";
        public const string StartedAt = "startedAt";
        public const string CompletedAt = "completedAt";
        public const string UpdatedAt = "updatedAt";
        public const string Metadata = "metadata";
#pragma warning restore CS1591
    }
}
