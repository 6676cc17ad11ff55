using System;

namespace AgentState.Runs
{
    /// <summary>
    /// An agent's stdout or stderr as given to <see cref="RunStore.SaveAgentResult"/>: text in memory, a file to copy
    /// (streamed, never loaded whole), or the run's own log file that a capture has already written in place.
    /// </summary>
    public sealed class AgentOutput
    {
        private AgentOutput(string? text, string? file, bool inPlace)
        {
            Text = text;
            File = file;
            InPlace = inPlace;
        }

        /// <summary>The output as text.</summary>
        public static AgentOutput FromText(string text) => new AgentOutput(text ?? throw new ArgumentNullException(nameof(text)), null, false);

        /// <summary>The output in a file, copied into the run (streamed) when it is large.</summary>
        public static AgentOutput FromFile(string path) => new AgentOutput(null, System.IO.Path.GetFullPath(path ?? throw new ArgumentNullException(nameof(path))), false);

        /// <summary>The run's own <c>agent-&lt;n&gt;.stdout.log</c> / <c>.stderr.log</c>, already written by a capture.</summary>
        internal static AgentOutput InRunLog(string path) => new AgentOutput(null, path, true);

        /// <summary>The text, when given as text.</summary>
        public string? Text { get; }

        /// <summary>The file, when given as a file.</summary>
        public string? File { get; }

        internal bool InPlace { get; }
    }

    /// <summary>Tokens an iteration used, and what they cost.</summary>
    public sealed class TokenUsage
    {
        /// <summary>Prompt tokens.</summary>
        public long? Prompt { get; set; }

        /// <summary>Completion tokens.</summary>
        public long? Completion { get; set; }

        /// <summary>Cached tokens.</summary>
        public long? Cached { get; set; }

        /// <summary>Cost, in US dollars.</summary>
        public decimal? Cost { get; set; }

        internal Json.OrderedJsonObject ToJson()
        {
            var json = new Json.OrderedJsonObject();
            JsonFields.SetIfGiven(json, "prompt", Prompt);
            JsonFields.SetIfGiven(json, "completion", Completion);
            JsonFields.SetIfGiven(json, "cached", Cached);
            JsonFields.SetIfGiven(json, "cost", Cost);
            return json;
        }
    }
}
