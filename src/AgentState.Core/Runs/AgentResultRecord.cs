using System;
using AgentState.Json;

namespace AgentState.Runs
{
    /// <summary>
    /// <c>agent-&lt;n&gt;.json</c>: one iteration's agent output in full (stdout and stderr inline, or in the .log files
    /// it names), tool calls, tokens, duration, model, session, exit code, success and the typed error.
    /// </summary>
    public sealed class AgentResultRecord : RunDocument
    {
        internal AgentResultRecord(string path, OrderedJsonObject fields, JsonTree? source)
            : base(path, fields, source)
        {
        }

        /// <summary>The iteration.</summary>
        public int Iteration => Int(AgentResultFields.Iteration) ?? RunFiles.IterationOf(Path, "agent-", ".json") ?? 0;

        /// <summary>"capturing" while a capture runs, "complete" once saved.</summary>
        public string? Status => Text(AgentResultFields.Status);

        /// <summary>success.</summary>
        public bool? Success => Bool(AgentResultFields.Success);

        /// <summary>exitCode.</summary>
        public int? ExitCode => Int(AgentResultFields.ExitCode);

        /// <summary>signal.</summary>
        public int? Signal => Int(AgentResultFields.Signal);

        /// <summary>durationMs.</summary>
        public long? DurationMs => Long(AgentResultFields.DurationMs);

        /// <summary>model.</summary>
        public string? Model => Text(AgentResultFields.Model);

        /// <summary>sessionId.</summary>
        public string? SessionId => Text(AgentResultFields.SessionId);

        /// <summary>stdout inline (null when it is only in <see cref="StdoutFile"/>).</summary>
        public string? Stdout => Text(AgentResultFields.Stdout);

        /// <summary>stderr inline (null when it is only in <see cref="StderrFile"/>).</summary>
        public string? Stderr => Text(AgentResultFields.Stderr);

        /// <summary>The full path of the stdout log, when there is one.</summary>
        public string? StdoutFile => InFolder(Text(AgentResultFields.StdoutFile));

        /// <summary>The full path of the stderr log, when there is one.</summary>
        public string? StderrFile => InFolder(Text(AgentResultFields.StderrFile));

        /// <summary>stdout's size in bytes.</summary>
        public long? StdoutBytes => Long(AgentResultFields.StdoutBytes);

        /// <summary>stderr's size in bytes.</summary>
        public long? StderrBytes => Long(AgentResultFields.StderrBytes);

        /// <summary>The typed error.</summary>
        public RunError? Error => RunError.FromJson(JsonFields.Value(Fields, AgentResultFields.Error));

        /// <summary>startedAt.</summary>
        public DateTimeOffset? StartedAt => Time(AgentResultFields.StartedAt);

        /// <summary>completedAt.</summary>
        public DateTimeOffset? CompletedAt => Time(AgentResultFields.CompletedAt);

        /// <summary>The pid of the process that captured the agent, while it did.</summary>
        public int? CaptureProcessId => Capture is OrderedJsonObject c ? JsonFields.Int(c, "pid") : null;

        /// <summary>The pid of the agent process a capture started.</summary>
        public int? AgentProcessId => Capture is OrderedJsonObject c ? JsonFields.Int(c, "agentPid") : null;

        /// <summary>True when a capture began but its process died before saving the result.</summary>
        public bool Interrupted => Status == AgentResultFields.Capturing && !CaptureAlive();

        internal OrderedJsonObject? Capture => JsonFields.Object(Fields, AgentResultFields.Capture);

        internal object? ToolCalls => JsonFields.Value(Fields, AgentResultFields.ToolCalls);

        internal OrderedJsonObject? TokensUsed => JsonFields.Object(Fields, AgentResultFields.TokensUsed);

        private bool CaptureAlive() =>
            Capture is OrderedJsonObject c && CaptureIdentity.IsAlive(JsonFields.Int(c, "pid"), JsonFields.Time(c, "processStartTime"), JsonFields.Text(c, "host"));

        private string? InFolder(string? name) => name == null ? null : System.IO.Path.Combine(Folder, name);

        /// <inheritdoc />
        public override string ToString() => $"{RunId} agent-{Iteration} ({(Success == true ? "success" : Error?.Type.ToString() ?? Status)})";
    }

    /// <summary>The field names of agent-&lt;n&gt;.json (the seed's AgentResult names, camelCase).</summary>
    public static class AgentResultFields
    {
#pragma warning disable CS1591 // The names say it.
        public const string Iteration = "iteration";
        public const string Status = "status";
        public const string Capturing = "capturing";
        public const string Complete = "complete";
        public const string SessionId = "sessionId";
        public const string Model = "model";
        public const string Success = "success";
        public const string ExitCode = "exitCode";
        public const string Signal = "signal";
        public const string DurationMs = "durationMs";
        public const string Stdout = "stdout";
        public const string Stderr = "stderr";
        public const string StdoutFile = "stdoutFile";
        public const string StderrFile = "stderrFile";
        public const string StdoutBytes = "stdoutBytes";
        public const string StderrBytes = "stderrBytes";
        public const string ToolCalls = "toolCalls";
        public const string TokensUsed = "tokensUsed";
        public const string Error = "error";
        public const string StartedAt = "startedAt";
        public const string CompletedAt = "completedAt";
        public const string Capture = "capture";
#pragma warning restore CS1591
    }
}
