using System;
using AgentState.Json;

namespace AgentState.Runs
{
    /// <summary><c>iteration-&lt;n&gt;.json</c>: number, start and end, harness profile, loop strategy state, result, error.</summary>
    public sealed class IterationRecord : RunDocument
    {
        internal IterationRecord(string path, OrderedJsonObject fields, JsonTree? source)
            : base(path, fields, source)
        {
        }

        /// <summary>The iteration.</summary>
        public int Iteration => Int(IterationFields.Iteration) ?? RunFiles.IterationOf(Path, "iteration-", ".json") ?? 0;

        /// <summary>startedAt.</summary>
        public DateTimeOffset? StartedAt => Time(IterationFields.StartedAt);

        /// <summary>completedAt.</summary>
        public DateTimeOffset? CompletedAt => Time(IterationFields.CompletedAt);

        /// <summary>harnessProfile.</summary>
        public string? HarnessProfile => Text(IterationFields.HarnessProfile);

        /// <summary>result.</summary>
        public string? Result => Text(IterationFields.Result);

        /// <summary>The typed error.</summary>
        public RunError? Error => RunError.FromJson(JsonFields.Value(Fields, IterationFields.Error));

        internal object? LoopStrategy => JsonFields.Value(Fields, IterationFields.LoopStrategy);

        /// <inheritdoc />
        public override string ToString() => $"{RunId} iteration-{Iteration} ({Result ?? (CompletedAt == null ? "started" : "complete")})";
    }

    /// <summary>The field names of iteration-&lt;n&gt;.json.</summary>
    public static class IterationFields
    {
#pragma warning disable CS1591 // The names say it.
        public const string Iteration = "iteration";
        public const string StartedAt = "startedAt";
        public const string CompletedAt = "completedAt";
        public const string HarnessProfile = "harnessProfile";
        public const string LoopStrategy = "loopStrategy";
        public const string Result = "result";
        public const string Error = "error";
        public const string AgentFile = "agentFile";
        public const string VerificationFile = "verificationFile";
#pragma warning restore CS1591
    }
}
