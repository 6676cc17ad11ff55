using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using AgentState.IO;
using AgentState.Platform;

namespace AgentState.Runs
{
    /// <summary>
    /// Runs an agent process for one iteration and captures it: stdout and stderr are written to the run's
    /// agent-&lt;n&gt;.stdout.log / .stderr.log as they come, so that a crash of the agent or of this process loses
    /// nothing already written; the exit code and duration are measured; past its timeout the process and every
    /// process it started are killed; and the result is saved with its error type (Timeout; AgentCrash for a signal
    /// or a non-zero exit). Before the agent starts, agent-&lt;n&gt;.json records this process (pid, start time, host),
    /// so that a run whose capture died reads back as interrupted.
    /// </summary>
    public static class RunCapture
    {
        private const int BufferSize = 64 * 1024;

        /// <summary>After the agent exits, how long a process it left behind may hold its output open before the capture stops waiting.</summary>
        public static readonly TimeSpan OrphanGrace = TimeSpan.FromSeconds(5);

        /// <summary>
        /// Runs and captures. <paramref name="progress"/> is told, after each chunk has been written to its log file,
        /// how many bytes of that stream the log holds.
        /// </summary>
        /// <exception cref="RunNotFoundException">The run does not exist.</exception>
        /// <exception cref="InvalidInputException">The iteration already has an agent result.</exception>
        public static AgentResultRecord Run(RunStore store, string runId, CaptureRequest request, Action<CaptureProgress>? progress = null, CancellationToken cancellation = default)
        {
            int n = request.Iteration;
            DateTimeOffset startedAt = store.Now;
            AgentResultRecord begun = store.BeginCapture(runId, n, startedAt);
            string stdoutPath = begun.StdoutFile!, stderrPath = begun.StderrFile!;
            var clock = Stopwatch.StartNew();
            using (FileStream stdoutLog = OpenLog(stdoutPath))
            using (FileStream stderrLog = OpenLog(stderrPath))
            {
                Process process;
                try
                {
                    process = Start(request);
                }
                catch (Exception ex) when (ex is System.ComponentModel.Win32Exception || ex is InvalidOperationException || ex is FileNotFoundException || ex is DirectoryNotFoundException)
                {
                    string message = $"Could not start '{request.Executable}': {ex.Message}";
                    WriteLine(stderrLog, "agentstate: " + message);
                    return Save(store, runId, request, startedAt, clock, null, null,
                        new RunError(RunErrorType.InfrastructureError, message, RunFiles.Stderr(n)));
                }

                using (process)
                {
                    store.NoteAgentProcess(runId, n, process.Id);
                    progress?.Invoke(new CaptureProgress("started", 0, process.Id));
                    var pumps = new[]
                    {
                        Pump(process.StandardOutput.BaseStream, stdoutLog, "stdout", process.Id, progress),
                        Pump(process.StandardError.BaseStream, stderrLog, "stderr", process.Id, progress),
                    };
                    bool timedOut = false, cancelled = false;
                    while (!process.WaitForExit(50))
                    {
                        if (request.Timeout is TimeSpan limit && clock.Elapsed >= limit)
                        {
                            timedOut = true;
                        }
                        else if (cancellation.IsCancellationRequested)
                        {
                            cancelled = true;
                        }
                        else
                        {
                            continue;
                        }

                        NativePlatform.Current.KillProcessTree(process);
                        process.WaitForExit();
                        break;
                    }

                    process.WaitForExit(); // Let the runtime collect the exit code.
                    bool drained = true;
                    foreach (Thread pump in pumps)
                    {
                        drained &= pump.Join(OrphanGrace);
                    }

                    long durationMs = clock.ElapsedMilliseconds;
                    Flush(stdoutLog);
                    Flush(stderrLog);
                    int exitCode = process.ExitCode;
                    int? signal = SignalOf(exitCode, timedOut || cancelled);
                    RunError? error = timedOut
                        ? new RunError(RunErrorType.Timeout, $"The agent ran past its timeout of {Seconds(request.Timeout!.Value)} and was killed with every process it started.", RunFiles.Stderr(n), exitCode, signal)
                        : cancelled
                        ? new RunError(RunErrorType.Cancelled, "The capture was cancelled; the agent was killed with every process it started.", RunFiles.Stderr(n), exitCode, signal)
                        : exitCode != 0
                        ? new RunError(RunErrorType.AgentCrash, signal != null ? $"The agent was killed by signal {signal}." : $"The agent exited with code {exitCode}.", RunFiles.Stderr(n), exitCode, signal)
                        : null;
                    if (!drained && error == null)
                    {
                        // Not a failure of the agent's, but the operator must know the logs may miss the end.
                        WriteLine(stderrLog, $"agentstate: a process the agent started still held its output open {Seconds(OrphanGrace)} after it exited; the capture stopped there.");
                    }

                    return Save(store, runId, request, startedAt, clock, exitCode, signal, error, durationMs);
                }
            }
        }

        private static AgentResultRecord Save(RunStore store, string runId, CaptureRequest request, DateTimeOffset startedAt, Stopwatch clock, int? exitCode, int? signal, RunError? error, long? durationMs = null)
        {
            int n = request.Iteration;
            var draft = new AgentResultDraft(n)
            {
                Stdout = AgentOutput.InRunLog(store.PathFor(runId, RunFiles.Stdout(n))),
                Stderr = AgentOutput.InRunLog(store.PathFor(runId, RunFiles.Stderr(n))),
                ExitCode = exitCode,
                Signal = signal,
                DurationMs = durationMs ?? clock.ElapsedMilliseconds,
                Model = request.Model,
                SessionId = request.SessionId,
                Success = error == null,
                Error = error,
                StartedAt = startedAt,
            };
            return store.SaveAgentResult(runId, draft);
        }

        private static Process Start(CaptureRequest request)
        {
            var info = new ProcessStartInfo(request.Executable)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
                WorkingDirectory = request.WorkingDirectory ?? Environment.CurrentDirectory,
            };
            CommandLineText.AddArguments(info, request.Arguments);
            foreach (KeyValuePair<string, string?> variable in request.Environment)
            {
                if (variable.Value == null)
                {
                    info.Environment.Remove(variable.Key);
                }
                else
                {
                    info.Environment[variable.Key] = variable.Value;
                }
            }

            Process process = Process.Start(info) ?? throw new InvalidOperationException("the process did not start");
            process.StandardInput.Close(); // An agent that reads stdin gets end of input, not a wait forever.
            return process;
        }

        private static FileStream OpenLog(string path)
        {
            FileStream log = NativePlatform.Current.OpenPlainFile(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read | FileShare.Delete, "agent output log");
            log.SetLength(0); // A log left by a capture that died before saving anything: this capture's output replaces it.
            return log;
        }

        /// <summary>Copies a pipe into its log chunk by chunk; each chunk goes to the file (not a buffer) before it is acknowledged.</summary>
        private static Thread Pump(Stream from, FileStream to, string name, int agentPid, Action<CaptureProgress>? progress)
        {
            var thread = new Thread(() =>
            {
                var buffer = new byte[BufferSize];
                long total = 0;
                try
                {
                    int read;
                    while ((read = from.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        to.Write(buffer, 0, read);
                        to.Flush();
                        total += read;
                        progress?.Invoke(new CaptureProgress(name, total, agentPid));
                    }
                }
                catch (IOException)
                {
                    // The pipe broke (the agent was killed mid-write): what came before is in the log.
                }
                catch (ObjectDisposedException)
                {
                }
            })
            {
                IsBackground = true,
                Name = "agentstate capture " + name,
            };
            thread.Start();
            return thread;
        }

        private static void Flush(FileStream log)
        {
            log.Flush();
            NativePlatform.Current.FlushData(log);
        }

        private static void WriteLine(FileStream log, string text)
        {
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text + "\n");
            log.Write(bytes, 0, bytes.Length);
            log.Flush();
        }

        /// <summary>
        /// The signal that ended the process. .NET reports a Unix process killed by signal s as exit code 128 + s, as
        /// shells do; that is read back as the signal (an agent that calls exit(137) itself is taken for SIGKILL too).
        /// </summary>
        private static int? SignalOf(int exitCode, bool killedByUs)
        {
            if (NativePlatform.Current.IsWindows)
            {
                return null;
            }

            if (exitCode > 128 && exitCode <= 128 + 64)
            {
                return exitCode - 128;
            }

            return killedByUs ? 9 : (int?)null;
        }

        private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
    }
}
