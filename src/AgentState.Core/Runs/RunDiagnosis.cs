using System.Collections.Generic;
using System.Text;

namespace AgentState.Runs
{
    /// <summary>
    /// Seed 001's "fail loudly with context" as an object: what failed (the type), why (the message, the last lines of
    /// stderr, the failing checks), where (the files) and how to investigate (the commands to run).
    /// </summary>
    public sealed class RunDiagnosis
    {
        internal RunDiagnosis(string runId, string root, int? iteration, string? state, RunError? error, IReadOnlyList<string> stderrTail,
            IReadOnlyList<string> failingChecks, IReadOnlyList<string> files, IReadOnlyList<string> commands)
        {
            RunId = runId;
            Root = root;
            Iteration = iteration;
            State = state;
            Error = error;
            StderrTail = stderrTail;
            FailingChecks = failingChecks;
            Files = files;
            Commands = commands;
        }

        /// <summary>The run.</summary>
        public string RunId { get; }

        /// <summary>The store's root.</summary>
        public string Root { get; }

        /// <summary>The iteration diagnosed (null when the run has none).</summary>
        public int? Iteration { get; }

        /// <summary>The run's state (interrupted for one whose capture died).</summary>
        public string? State { get; }

        /// <summary>True when something failed.</summary>
        public bool Failed => Error != null;

        /// <summary>What failed: the error's type.</summary>
        public RunErrorType? ErrorType => Error?.Type;

        /// <summary>Why: the error's message.</summary>
        public string? Message => Error?.Message;

        /// <summary>The error in full.</summary>
        public RunError? Error { get; }

        /// <summary>Why: the last lines the agent wrote to stderr.</summary>
        public IReadOnlyList<string> StderrTail { get; }

        /// <summary>Why: the checks that failed verification.</summary>
        public IReadOnlyList<string> FailingChecks { get; }

        /// <summary>Where: the files that hold the details, full paths, the most telling first.</summary>
        public IReadOnlyList<string> Files { get; }

        /// <summary>How: commands that show the details.</summary>
        public IReadOnlyList<string> Commands { get; }

        /// <summary>The readable view: what, why, where, how.</summary>
        public override string ToString()
        {
            var text = new StringBuilder();
            text.Append("Run ").Append(RunId);
            if (Iteration != null)
            {
                text.Append(", iteration ").Append(Iteration);
            }

            text.Append(" (").Append(State ?? "unknown").Append(")\n");
            if (Error == null)
            {
                text.Append("What: nothing failed\n");
            }
            else
            {
                text.Append("What: ").Append(Error.Type);
                if (Error.ExitCode != null)
                {
                    text.Append(" (exit code ").Append(Error.ExitCode).Append(Error.Signal != null ? ", signal " + Error.Signal : string.Empty).Append(')');
                }

                text.Append('\n').Append("Why:  ").Append(Error.Message).Append('\n');
            }

            foreach (string check in FailingChecks)
            {
                text.Append("      failing check: ").Append(check).Append('\n');
            }

            if (StderrTail.Count > 0)
            {
                text.Append("      last lines of stderr:\n");
                foreach (string line in StderrTail)
                {
                    text.Append("        ").Append(line).Append('\n');
                }
            }

            text.Append("Where:\n");
            foreach (string file in Files)
            {
                text.Append("  ").Append(file).Append('\n');
            }

            text.Append("How:\n");
            foreach (string command in Commands)
            {
                text.Append("  ").Append(command).Append('\n');
            }

            return text.ToString();
        }
    }
}
