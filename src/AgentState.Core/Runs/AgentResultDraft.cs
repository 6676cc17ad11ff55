using System;
using AgentState.Json;

namespace AgentState.Runs
{
    /// <summary>What an agent produced in one iteration, to be saved as <c>agent-&lt;n&gt;.json</c>.</summary>
    public sealed class AgentResultDraft
    {
        /// <summary>A result for iteration <paramref name="iteration"/>.</summary>
        public AgentResultDraft(int iteration)
        {
            Iteration = RunIteration.Check(iteration);
        }

        /// <summary>The iteration (1, 2 ...).</summary>
        public int Iteration { get; }

        /// <summary>stdout, in full.</summary>
        public AgentOutput? Stdout { get; set; }

        /// <summary>stderr, in full.</summary>
        public AgentOutput? Stderr { get; set; }

        /// <summary>The tool calls, kept as given (an array of objects, usually).</summary>
        public object? ToolCalls { get; set; }

        /// <summary>Tokens used.</summary>
        public TokenUsage? TokensUsed { get; set; }

        /// <summary>How long the agent ran, in milliseconds.</summary>
        public long? DurationMs { get; set; }

        /// <summary>The model.</summary>
        public string? Model { get; set; }

        /// <summary>The agent's session id.</summary>
        public string? SessionId { get; set; }

        /// <summary>The process's exit code.</summary>
        public int? ExitCode { get; set; }

        /// <summary>The signal that ended the process.</summary>
        public int? Signal { get; set; }

        /// <summary>Whether the agent succeeded; when null, true unless there is an error or a non-zero exit code.</summary>
        public bool? Success { get; set; }

        /// <summary>The typed error, when it failed.</summary>
        public RunError? Error { get; set; }

        /// <summary>When the agent started.</summary>
        public DateTimeOffset? StartedAt { get; set; }

        /// <summary>When it finished (default: when saved).</summary>
        public DateTimeOffset? CompletedAt { get; set; }

        /// <summary>Other fields to keep as given (the rest of an AgentResult another tool wrote).</summary>
        public OrderedJsonObject? Extra { get; set; }
    }
}
