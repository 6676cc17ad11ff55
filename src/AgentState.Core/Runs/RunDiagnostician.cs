using System.Collections.Generic;
using System.IO;
using System.Linq;
using AgentState.IO;

namespace AgentState.Runs
{
    /// <summary>
    /// Works out a run's diagnosis from its files alone. The error is the most specific one recorded for the
    /// iteration: the iteration's own, else the agent's (an interrupted capture is an InfrastructureError), else a
    /// failed verification, else (for the last iteration) the run's.
    /// </summary>
    internal static class RunDiagnostician
    {
        public const int StderrLines = 20;

        public static RunDiagnosis Diagnose(RunStore store, RunRecord run, int? asked)
        {
            string runId = run.RunId;
            IReadOnlyList<int> iterations = store.Iterations(runId);
            int? n = asked ?? (iterations.Count > 0 ? iterations[iterations.Count - 1] : (int?)null);
            if (asked != null)
            {
                RunIteration.Check(asked.Value);
            }

            IterationRecord? iteration = n == null ? null : store.TryGetIteration(runId, n.Value);
            AgentResultRecord? agent = n == null ? null : store.TryGetAgentResult(runId, n.Value);
            VerificationRecord? verification = n == null ? null : store.TryGetVerification(runId, n.Value);
            bool last = n == null || iterations.Count == 0 || n.Value >= iterations[iterations.Count - 1];

            RunError? error = iteration?.Error ?? AgentError(agent) ?? VerificationError(verification) ?? (last ? run.Error : null);
            if (error == null && last && run.State == RunState.Failed)
            {
                error = new RunError(RunErrorType.Unknown, "The run failed, and no file says why.");
            }

            IReadOnlyList<string> tail = agent == null ? new string[0]
                : agent.StderrFile != null && PlainFile.Exists(agent.StderrFile) ? TextTail.OfFile(agent.StderrFile, StderrLines) : TextTail.Of(agent.Stderr, StderrLines);
            IReadOnlyList<string> failing = verification?.FailingChecks ?? new string[0];

            string folder = store.FolderFor(runId);
            var files = new List<string>();
            if (error?.File != null)
            {
                files.Add(Path.Combine(folder, error.File));
            }

            if (n != null)
            {
                files.Add(agent?.StderrFile ?? Path.Combine(folder, RunFiles.Stderr(n.Value)));
                files.Add(Path.Combine(folder, RunFiles.Agent(n.Value)));
                files.Add(Path.Combine(folder, RunFiles.Verification(n.Value)));
                files.Add(Path.Combine(folder, RunFiles.Iteration(n.Value)));
                files.Add(agent?.StdoutFile ?? Path.Combine(folder, RunFiles.Stdout(n.Value)));
            }

            files.Add(Path.Combine(folder, RunFiles.Run));
            files.Add(Path.Combine(folder, RunFiles.Events));
            List<string> existing = files.Distinct().Where(PlainFile.Exists).ToList();

            var commands = new List<string>();
            string root = Quote(store.Root);
            string iterationOption = n == null ? string.Empty : " --iteration " + n.Value;
            commands.Add($"agentstate run show {runId}{iterationOption} --root {root}");
            string? stderrLog = agent?.StderrFile;
            if (stderrLog != null && PlainFile.Exists(stderrLog))
            {
                commands.Add($"tail -n 200 {Quote(stderrLog)}");
                commands.Add($"Get-Content -Tail 200 -LiteralPath {Quote(stderrLog)}");
            }
            else if (agent != null)
            {
                commands.Add($"jq -r .stderr {Quote(agent.Path)}");
            }

            if (verification != null)
            {
                commands.Add($"jq . {Quote(verification.Path)}");
            }

            commands.Add($"agentstate run events {runId} --root {root}");
            return new RunDiagnosis(runId, store.Root, n, run.DisplayState, error, tail, failing, existing, commands);
        }

        private static RunError? AgentError(AgentResultRecord? agent)
        {
            if (agent == null)
            {
                return null;
            }

            if (agent.Interrupted)
            {
                return new RunError(RunErrorType.InfrastructureError,
                    $"The process that captured iteration {agent.Iteration} (pid {agent.CaptureProcessId}) died before it saved the result; what the agent printed up to then is in its logs.",
                    Path.GetFileName(agent.StderrFile ?? agent.Path));
            }

            if (agent.Error != null)
            {
                return agent.Error;
            }

            if (agent.Success == false)
            {
                string how = agent.Signal != null ? $"was killed by signal {agent.Signal}" : agent.ExitCode != null ? $"exited with code {agent.ExitCode}" : "reported failure";
                return new RunError(RunErrorType.AgentCrash, $"The agent {how}.", Path.GetFileName(agent.Path), agent.ExitCode, agent.Signal);
            }

            return null;
        }

        private static RunError? VerificationError(VerificationRecord? verification)
        {
            if (verification == null || verification.Passed != false)
            {
                return null;
            }

            IReadOnlyList<string> failing = verification.FailingChecks;
            string which = failing.Count == 0 ? "." : ": " + string.Join(", ", failing) + ".";
            return new RunError(RunErrorType.VerificationFailed, "Verification failed" + which, Path.GetFileName(verification.Path));
        }

        private static string Quote(string path) => "'" + path.Replace("'", "''") + "'";
    }
}
