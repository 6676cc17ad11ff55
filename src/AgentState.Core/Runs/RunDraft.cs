using AgentState.Json;

namespace AgentState.Runs
{
    /// <summary>A new run.</summary>
    public sealed class RunDraft
    {
        /// <summary>The run's id; a new GUID when null. Validated like an agent id.</summary>
        public string? Id { get; set; }

        /// <summary>The work order it runs.</summary>
        public string? WorkOrderId { get; set; }

        /// <summary>The agent session.</summary>
        public string? SessionId { get; set; }

        /// <summary>The first state: queued (the default) or running.</summary>
        public RunState State { get; set; } = RunState.Queued;

        /// <summary>Free metadata, kept as given.</summary>
        public OrderedJsonObject? Metadata { get; set; }
    }

    /// <summary>How a run ended.</summary>
    public sealed class RunCompletion
    {
        /// <summary>The final state: succeeded, failed or cancelled; when null, failed with an error and succeeded without.</summary>
        public RunState? State { get; set; }

        /// <summary>The result text; when null, the seed's: passed, failed_build, failed_verification, failed_timeout, canceled or failed_error.</summary>
        public string? Result { get; set; }

        /// <summary>The typed error.</summary>
        public RunError? Error { get; set; }

        /// <summary>Complete a run that has finished already.</summary>
        public bool Force { get; set; }
    }
}
