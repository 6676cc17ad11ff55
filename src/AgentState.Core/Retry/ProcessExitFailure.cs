using System.Globalization;
using AgentState.Runs;

namespace AgentState.Retry
{
    /// <summary>
    /// A child process that ended with a non-zero exit code, typed by the conventions shells keep: 124 is timeout(1)'s
    /// "timed out", 75 is sysexits' EX_TEMPFAIL, 130 is Ctrl+C, and 128+n is death by signal n (a crash).
    /// </summary>
    public sealed class ProcessExitFailure : TypedFailureException
    {
        /// <summary>The failure of a process that exited with <paramref name="exitCode"/>.</summary>
        public ProcessExitFailure(string command, int exitCode)
            : base(TypeOfExitCode(exitCode), string.Format(CultureInfo.InvariantCulture, "'{0}' exited with code {1} ({2}).", command, exitCode, TypeOfExitCode(exitCode)))
        {
            Command = command;
            ExitCode = exitCode;
        }

        /// <summary>The command that was run.</summary>
        public string Command { get; }

        /// <summary>Its exit code.</summary>
        public int ExitCode { get; }

        /// <summary>The failure type an exit code stands for.</summary>
        public static RunErrorType TypeOfExitCode(int exitCode)
        {
            switch (exitCode)
            {
                case 124:
                    return RunErrorType.Timeout;
                case 75:
                    return RunErrorType.InfrastructureError;
                case 130:
                    return RunErrorType.Cancelled;
                default:
                    return exitCode > 128 && exitCode < 128 + 65 ? RunErrorType.AgentCrash : RunErrorType.Unknown;
            }
        }
    }
}
