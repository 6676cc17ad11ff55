using System;
using System.Collections.Generic;

namespace AgentState.Runs
{
    /// <summary>An agent process to run for one iteration of a run, and capture.</summary>
    public sealed class CaptureRequest
    {
        /// <summary>Runs <paramref name="executable"/> for iteration <paramref name="iteration"/>.</summary>
        public CaptureRequest(int iteration, string executable)
        {
            Iteration = RunIteration.Check(iteration);
            Executable = string.IsNullOrEmpty(executable) ? throw new IO.InvalidInputException("The executable to run is empty.", "executable") : executable;
        }

        /// <summary>The iteration.</summary>
        public int Iteration { get; }

        /// <summary>The program (a path, or a name looked up on PATH).</summary>
        public string Executable { get; }

        /// <summary>Its arguments, each passed as one argument, as given.</summary>
        public IList<string> Arguments { get; set; } = new List<string>();

        /// <summary>The folder it runs in (default: the current one).</summary>
        public string? WorkingDirectory { get; set; }

        /// <summary>Environment variables to set (a null value removes one).</summary>
        public IDictionary<string, string?> Environment { get; set; } = new Dictionary<string, string?>();

        /// <summary>How long it may run before it and every process it started are killed; null for no limit.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>The model, to record.</summary>
        public string? Model { get; set; }

        /// <summary>The agent's session id, to record.</summary>
        public string? SessionId { get; set; }
    }

    /// <summary>How much of a stream a capture has written to its log file (and so will survive a crash of the capture).</summary>
    public sealed class CaptureProgress
    {
        internal CaptureProgress(string stream, long bytes, int? agentProcessId)
        {
            Stream = stream;
            Bytes = bytes;
            AgentProcessId = agentProcessId;
        }

        /// <summary>"stdout", "stderr", or "started" when the agent process has just started.</summary>
        public string Stream { get; }

        /// <summary>Bytes of the stream written to its log so far.</summary>
        public long Bytes { get; }

        /// <summary>The agent process's id.</summary>
        public int? AgentProcessId { get; }
    }
}
