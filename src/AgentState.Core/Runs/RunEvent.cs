using System;
using AgentState.Json;

namespace AgentState.Runs
{
    /// <summary>The event types the store itself writes (other writers may add their own, such as retry's attempts).</summary>
    public static class RunEventTypes
    {
#pragma warning disable CS1591 // The names say it.
        public const string RunStart = "run:start";
        public const string IterationStart = "iteration:start";
        public const string AgentComplete = "agent:complete";
        public const string VerificationComplete = "verification:complete";
        public const string IterationComplete = "iteration:complete";
        public const string RunComplete = "run:complete";
#pragma warning restore CS1591
    }

    /// <summary>An event to append to a run's events.jsonl.</summary>
    public sealed class RunEventDraft
    {
        /// <summary>An event of <paramref name="type"/> (run:start, iteration:start ..., or a type of the caller's own).</summary>
        public RunEventDraft(string type)
        {
            if (string.IsNullOrEmpty(type) || type.IndexOf('\n') >= 0 || type.IndexOf('\r') >= 0)
            {
                throw new IO.InvalidInputException("An event type is a non-empty text on one line.", "type");
            }

            Type = type;
        }

        /// <summary>The event's type.</summary>
        public string Type { get; }

        /// <summary>The iteration it belongs to.</summary>
        public int? Iteration { get; set; }

        /// <summary>The file (a name in the run folder) the event wrote or is about.</summary>
        public string? File { get; set; }

        /// <summary>Anything else, kept as given.</summary>
        public OrderedJsonObject? Data { get; set; }
    }

    /// <summary>One line of events.jsonl: <c>{seq, time, type, runId, iteration, file, data}</c>.</summary>
    public sealed class RunEvent
    {
        internal RunEvent(OrderedJsonObject fields)
        {
            Fields = fields;
        }

        /// <summary>The event's number in its run: 1, 2, 3 ... in the order they were appended.</summary>
        public long Sequence => JsonFields.Long(Fields, "seq") ?? 0;

        /// <summary>When it was appended.</summary>
        public DateTimeOffset? Time => JsonFields.Time(Fields, "time");

        /// <summary>The event's type.</summary>
        public string? Type => JsonFields.Text(Fields, "type");

        /// <summary>The run.</summary>
        public string? RunId => JsonFields.Text(Fields, "runId");

        /// <summary>The iteration, when it belongs to one.</summary>
        public int? Iteration => JsonFields.Int(Fields, "iteration");

        /// <summary>The file it wrote or is about.</summary>
        public string? File => JsonFields.Text(Fields, "file");

        internal OrderedJsonObject Fields { get; }

        internal OrderedJsonObject? Data => JsonFields.Object(Fields, "data");

        /// <inheritdoc />
        public override string ToString() => $"{Sequence} {Type} {RunId}" + (Iteration == null ? string.Empty : " #" + Iteration);
    }
}
