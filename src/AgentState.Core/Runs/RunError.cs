using AgentState.Json;

namespace AgentState.Runs
{
    /// <summary>
    /// A typed failure: what kind, the message, the file that holds the details and, where a process was involved,
    /// its exit code or signal. Written as <c>{type, message, file, exitCode, signal}</c>.
    /// </summary>
    public sealed class RunError
    {
        /// <summary>Creates an error.</summary>
        public RunError(RunErrorType type, string message, string? file = null, int? exitCode = null, int? signal = null)
        {
            Type = type;
            Message = message ?? string.Empty;
            File = file;
            ExitCode = exitCode;
            Signal = signal;
        }

        /// <summary>What kind of failure.</summary>
        public RunErrorType Type { get; }

        /// <summary>What happened, in a sentence.</summary>
        public string Message { get; }

        /// <summary>The file with the details (a name in the run folder, or a path), when there is one.</summary>
        public string? File { get; }

        /// <summary>The process's exit code, when a process was involved.</summary>
        public int? ExitCode { get; }

        /// <summary>The signal that ended the process, when one did.</summary>
        public int? Signal { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Type}: {Message}";

        internal OrderedJsonObject ToJson()
        {
            var json = new OrderedJsonObject { ["type"] = Type.ToString(), ["message"] = Message };
            if (File != null)
            {
                json["file"] = File;
            }

            if (ExitCode != null)
            {
                json["exitCode"] = (long)ExitCode.Value;
            }

            if (Signal != null)
            {
                json["signal"] = (long)Signal.Value;
            }

            return json;
        }

        /// <summary>
        /// Reads an error: an object of this form, or the seed's bare string (an Unknown error with that message).
        /// Null for null or anything else.
        /// </summary>
        internal static RunError? FromJson(object? value)
        {
            if (value is string text)
            {
                return new RunError(RunErrorType.Unknown, text);
            }

            if (!(value is OrderedJsonObject json))
            {
                return null;
            }

            RunErrorTypes.TryParse(JsonFields.Text(json, "type"), out RunErrorType type);
            return new RunError(type, JsonFields.Text(json, "message") ?? string.Empty, JsonFields.Text(json, "file"),
                JsonFields.Int(json, "exitCode"), JsonFields.Int(json, "signal"));
        }
    }
}
