using System;
using AgentState.Json;

namespace AgentState.Runs
{
    /// <summary>An iteration's metadata, to be saved as <c>iteration-&lt;n&gt;.json</c>; unset members leave the file's as they are.</summary>
    public sealed class IterationDraft
    {
        /// <summary>Metadata for iteration <paramref name="iteration"/>.</summary>
        public IterationDraft(int iteration)
        {
            Iteration = RunIteration.Check(iteration);
        }

        /// <summary>The iteration (1, 2 ...).</summary>
        public int Iteration { get; }

        /// <summary>When it started (default: when first saved).</summary>
        public DateTimeOffset? StartedAt { get; set; }

        /// <summary>When it ended (default: when saved with <see cref="Complete"/>).</summary>
        public DateTimeOffset? CompletedAt { get; set; }

        /// <summary>False to record a start only; true (the default) to record the iteration as complete.</summary>
        public bool Complete { get; set; } = true;

        /// <summary>The harness profile's name.</summary>
        public string? HarnessProfile { get; set; }

        /// <summary>The loop strategy's state, kept as given.</summary>
        public object? LoopStrategy { get; set; }

        /// <summary>The iteration's result (passed, failed_build ...).</summary>
        public string? Result { get; set; }

        /// <summary>The typed error, when it failed.</summary>
        public RunError? Error { get; set; }

        /// <summary>Other fields to keep as given.</summary>
        public OrderedJsonObject? Extra { get; set; }
    }
}
