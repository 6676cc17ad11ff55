using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using AgentState.Json;
using AgentState.Runs;
using AgentState.Text;

namespace AgentState.Cli.Commands
{
    /// <summary>
    /// <c>agentstate run new|result|verification|iteration|complete|list|show|diagnose|exec|events</c>: seed 001's run
    /// folders for scripts, over the engine's <see cref="RunStore"/>.
    /// </summary>
    internal static class RunCommand
    {
        public static Command Create()
        {
            var command = new Command("run", "Record agent runs in full (output, verification, iterations, typed errors, events) and diagnose them.");
            command.Subcommands.Add(CreateNew());
            command.Subcommands.Add(CreateResult());
            command.Subcommands.Add(CreateVerification());
            command.Subcommands.Add(CreateIteration());
            command.Subcommands.Add(CreateComplete());
            command.Subcommands.Add(CreateList());
            command.Subcommands.Add(CreateShow());
            command.Subcommands.Add(CreateDiagnose());
            command.Subcommands.Add(CreateExec());
            command.Subcommands.Add(CreateEvents());
            return command;
        }

        private static Option<string?> Root() => new Option<string?>("--root")
        {
            Description = "The runs folder. Default: $AGENTSTATE_RUNS, else ./.agentstate/runs.",
        };

        private static Option<double> LockTimeout() => new Option<double>("--lock-timeout")
        {
            Description = "Seconds to wait for the run's lock (default 10).",
            DefaultValueFactory = _ => 10,
        };

        private static Argument<string> RunId() => new Argument<string>("run-id") { Description = "The run's id." };

        private static Option<int> Iteration(bool required = true) => new Option<int>("--iteration", "-n") { Description = "The iteration: 1, 2, 3 ...", Required = required };

        private static RunStore Open(ParseResult parsed, Option<string?> root, Option<double>? timeout = null) =>
            new RunStore(parsed.GetValue(root) ?? RunStore.DefaultRoot(Environment.CurrentDirectory), TimeSpan.FromSeconds(timeout == null ? 10 : parsed.GetValue(timeout)));

        private static Command CreateNew()
        {
            var id = new Argument<string?>("run-id") { Description = "The run's id (default: a new GUID).", Arity = ArgumentArity.ZeroOrOne };
            var workOrder = new Option<string?>("--work-order") { Description = "workOrderId." };
            var session = new Option<string?>("--session") { Description = "sessionId." };
            var running = new Option<bool>("--running") { Description = "Start as running rather than queued." };
            var meta = new Option<string[]>("--meta") { Description = "key=value to put in metadata (repeatable)." };
            var root = Root();
            var command = new Command("new", "Create a run: its folder, run.json and the run:start event. Prints the run's id.") { id, workOrder, session, running, meta, root };
            command.SetAction(parsed => Run(() =>
            {
                var draft = new RunDraft
                {
                    Id = parsed.GetValue(id),
                    WorkOrderId = parsed.GetValue(workOrder),
                    SessionId = parsed.GetValue(session),
                    State = parsed.GetValue(running) ? RunState.Running : RunState.Queued,
                    Metadata = Pairs(parsed.GetValue(meta), "--meta"),
                };
                Console.WriteLine(Open(parsed, root).Create(draft).Id);
                return ExitCodes.Success;
            }));
            return command;
        }

        private static Command CreateResult()
        {
            var id = RunId();
            var iteration = Iteration();
            var from = new Option<string?>("--from") { Description = "A JSON AgentResult ({stdout, stderr, toolCalls, tokensUsed, durationMs, success, model, sessionId, exitCode ...}); '-' for stdin." };
            var stdoutFile = new Option<string?>("--stdout-file") { Description = "A file holding the agent's stdout (copied, streamed)." };
            var stderrFile = new Option<string?>("--stderr-file") { Description = "A file holding the agent's stderr (copied, streamed)." };
            var exitCode = new Option<int?>("--exit-code") { Description = "The agent's exit code." };
            var success = new Option<bool?>("--success") { Description = "true or false (default: from the error and exit code)." };
            var model = new Option<string?>("--model") { Description = "The model." };
            var session = new Option<string?>("--session") { Description = "The agent's session id." };
            var duration = new Option<long?>("--duration-ms") { Description = "How long the agent ran." };
            var error = new ErrorOptions();
            var root = Root();
            var timeout = LockTimeout();
            var command = new Command("result", "Save an iteration's agent result as agent-<n>.json (large output in .log files beside it).")
            {
                id, iteration, from, stdoutFile, stderrFile, exitCode, success, model, session, duration, root, timeout,
            };
            error.AddTo(command);
            command.SetAction(parsed => Run(() =>
            {
                var draft = new AgentResultDraft(parsed.GetValue(iteration));
                if (parsed.GetValue(from) is string source)
                {
                    FillFromJson(draft, ReadObject(source));
                }

                draft.Stdout = parsed.GetValue(stdoutFile) is string o ? AgentOutput.FromFile(Existing(o)) : draft.Stdout;
                draft.Stderr = parsed.GetValue(stderrFile) is string e ? AgentOutput.FromFile(Existing(e)) : draft.Stderr;
                draft.ExitCode = parsed.GetValue(exitCode) ?? draft.ExitCode;
                draft.Success = parsed.GetValue(success) ?? draft.Success;
                draft.Model = parsed.GetValue(model) ?? draft.Model;
                draft.SessionId = parsed.GetValue(session) ?? draft.SessionId;
                draft.DurationMs = parsed.GetValue(duration) ?? draft.DurationMs;
                draft.Error = error.Read(parsed) ?? draft.Error;
                Console.WriteLine(Open(parsed, root, timeout).SaveAgentResult(parsed.GetValue(id)!, draft).Path);
                return ExitCodes.Success;
            }));
            return command;
        }

        private static Command CreateVerification()
        {
            var id = RunId();
            var iteration = Iteration();
            var from = new Option<string>("--from") { Description = "The verifier's JSON report, kept as is; '-' for stdin.", Required = true };
            var passed = new Option<bool?>("--passed") { Description = "true or false, overriding what the report says." };
            var root = Root();
            var timeout = LockTimeout();
            var command = new Command("verification", "Save an iteration's verification report as verification-<n>.json.") { id, iteration, from, passed, root, timeout };
            command.SetAction(parsed => Run(() =>
            {
                object? report = ReadValue(parsed.GetValue(from)!);
                Console.WriteLine(Open(parsed, root, timeout).SaveVerification(parsed.GetValue(id)!, parsed.GetValue(iteration), report, parsed.GetValue(passed)).Path);
                return ExitCodes.Success;
            }));
            return command;
        }

        private static Command CreateIteration()
        {
            var id = RunId();
            var iteration = Iteration();
            var start = new Option<bool>("--start") { Description = "Record the iteration's start only (default: record it complete)." };
            var profile = new Option<string?>("--profile") { Description = "The harness profile." };
            var strategy = new Option<string?>("--strategy-from") { Description = "A JSON file with the loop strategy's state; '-' for stdin." };
            var result = new Option<string?>("--result") { Description = "The iteration's result (passed, failed_verification ...)." };
            var error = new ErrorOptions();
            var root = Root();
            var timeout = LockTimeout();
            var command = new Command("iteration", "Save an iteration's metadata as iteration-<n>.json.") { id, iteration, start, profile, strategy, result, root, timeout };
            error.AddTo(command);
            command.SetAction(parsed => Run(() =>
            {
                var draft = new IterationDraft(parsed.GetValue(iteration))
                {
                    Complete = !parsed.GetValue(start),
                    HarnessProfile = parsed.GetValue(profile),
                    LoopStrategy = parsed.GetValue(strategy) is string s ? ReadValue(s) : null,
                    Result = parsed.GetValue(result),
                    Error = error.Read(parsed),
                };
                Console.WriteLine(Open(parsed, root, timeout).SaveIteration(parsed.GetValue(id)!, draft).Path);
                return ExitCodes.Success;
            }));
            return command;
        }

        private static Command CreateComplete()
        {
            var id = RunId();
            var state = new Option<string?>("--state") { Description = "succeeded, failed or cancelled (default: failed with an error, else succeeded)." };
            state.AcceptOnlyFromAmong("succeeded", "failed", "cancelled");
            var result = new Option<string?>("--result") { Description = "The result (default: passed, failed_build, failed_verification, failed_timeout, canceled, failed_error)." };
            var force = new Option<bool>("--force") { Description = "Complete a run that has finished already." };
            var error = new ErrorOptions();
            var root = Root();
            var timeout = LockTimeout();
            var command = new Command("complete", "Complete a run with its final state, result and typed error.") { id, state, result, force, root, timeout };
            error.AddTo(command);
            command.SetAction(parsed => Run(() =>
            {
                var completion = new RunCompletion
                {
                    State = RunStates.TryParse(parsed.GetValue(state), out RunState s) ? s : (RunState?)null,
                    Result = parsed.GetValue(result),
                    Error = error.Read(parsed),
                    Force = parsed.GetValue(force),
                };
                RunRecord run = Open(parsed, root, timeout).Complete(parsed.GetValue(id)!, completion);
                Console.WriteLine($"{run.Id} {run.StateText} {run.Result}");
                return ExitCodes.Success;
            }));
            return command;
        }

        private static Command CreateList()
        {
            var ids = new Argument<string[]>("run-id") { Description = "Run ids; * ? [] wildcards.", Arity = ArgumentArity.ZeroOrMore };
            var state = new Option<string[]>("--state") { Description = "Only runs in this state (queued, running, succeeded, failed, cancelled, interrupted); repeatable." };
            var result = new Option<string[]>("--result") { Description = "Only runs with this result; repeatable." };
            var since = new Option<string?>("--since") { Description = "Only runs changed at or after this ISO 8601 time." };
            var json = new Option<bool>("--json") { Description = "One JSON run.json per line." };
            var root = Root();
            var command = new Command("list", "List runs: id, state, result, iteration, last change.") { ids, state, result, since, json, root };
            command.SetAction(parsed => Run(() =>
            {
                var query = new RunQuery
                {
                    Ids = parsed.GetValue(ids)?.ToList() ?? new List<string>(),
                    States = parsed.GetValue(state)?.ToList() ?? new List<string>(),
                    Results = parsed.GetValue(result)?.ToList() ?? new List<string>(),
                    Since = parsed.GetValue(since) is string text ? IsoTimestamp.Parse(text) ?? throw new UsageException($"--since '{text}' is not an ISO 8601 time.") : (DateTimeOffset?)null,
                };
                RunStore store = Open(parsed, root);
                int listed = 0;
                using Stream stdout = Console.OpenStandardOutput();
                foreach (RunEntry entry in store.Scan(query))
                {
                    if (entry.Record is not RunRecord run)
                    {
                        Console.Error.WriteLine("agentstate: warning: " + entry.Corruption!.Message);
                        continue;
                    }

                    listed++;
                    byte[] line = parsed.GetValue(json) ? JsonTreeWriter.WriteLine(run.Fields)
                        : Encoding.UTF8.GetBytes($"{run.Id}\t{run.DisplayState ?? "-"}\t{run.Result ?? "-"}\t{run.Iteration}\t{Time(run.UpdatedAt ?? run.CreatedAt)}\n");
                    stdout.Write(line, 0, line.Length);
                }

                // A pattern without wildcards names one run: not finding it is an error, as a missing file is.
                foreach (string literal in query.Ids.Where(p => !RunQuery.HasWildcard(p)))
                {
                    if (store.TryGet(literal) == null)
                    {
                        throw new RunNotFoundException(literal, store.PathFor(literal, RunFiles.Run));
                    }
                }

                return ExitCodes.Success;
            }));
            return command;
        }

        private static Command CreateShow()
        {
            var id = RunId();
            var iteration = Iteration(required: false);
            var root = Root();
            var command = new Command("show", "Print run.json, or with --iteration the iteration's files as one JSON object {iteration, agent, verification}.") { id, iteration, root };
            command.SetAction(parsed => Run(() =>
            {
                RunStore store = Open(parsed, root);
                string runId = parsed.GetValue(id)!;
                RunRecord run = store.Get(runId);
                int n = parsed.GetValue(iteration);
                object shown = run.Fields;
                if (n != 0)
                {
                    shown = new OrderedJsonObject
                    {
                        ["iteration"] = store.TryGetIteration(runId, n)?.Fields,
                        ["agent"] = store.TryGetAgentResult(runId, n)?.Fields,
                        ["verification"] = store.TryGetVerification(runId, n)?.Fields,
                    };
                }

                Console.Out.Write(Encoding.UTF8.GetString(JsonTreeWriter.Write(shown)));
                return ExitCodes.Success;
            }));
            return command;
        }

        private static Command CreateDiagnose()
        {
            var id = RunId();
            var iteration = Iteration(required: false);
            var json = new Option<bool>("--json") { Description = "The diagnosis as JSON." };
            var root = Root();
            var command = new Command("diagnose", "What failed, why, where the details are, and how to investigate; for the last iteration or --iteration.") { id, iteration, json, root };
            command.SetAction(parsed => Run(() =>
            {
                int n = parsed.GetValue(iteration);
                RunDiagnosis diagnosis = Open(parsed, root).Diagnose(parsed.GetValue(id)!, n == 0 ? (int?)null : n);
                Console.Out.Write(parsed.GetValue(json) ? Encoding.UTF8.GetString(JsonTreeWriter.Write(DiagnosisJson(diagnosis))) : diagnosis.ToString());
                return ExitCodes.Success;
            }));
            return command;
        }

        private static Command CreateExec()
        {
            var id = RunId();
            var iteration = Iteration();
            var program = new Argument<string[]>("command") { Description = "The agent's program and its arguments (after --).", Arity = ArgumentArity.OneOrMore };
            var timeoutSeconds = new Option<double?>("--timeout") { Description = "Seconds before the agent and every process it started are killed." };
            var cwd = new Option<string?>("--cwd") { Description = "The folder to run it in." };
            var env = new Option<string[]>("--env") { Description = "NAME=value to set in its environment (repeatable)." };
            var model = new Option<string?>("--model") { Description = "The model, to record." };
            var session = new Option<string?>("--session") { Description = "The agent's session id, to record." };
            var progress = new Option<bool>("--progress") { Description = "Print 'started <pid>' and '<stream> <bytes>' on stderr as the agent starts and each chunk reaches its log." };
            var root = Root();
            var lockTimeout = LockTimeout();
            var command = new Command("exec", "Run an agent for an iteration and capture it: output streamed to agent-<n>.stdout.log/.stderr.log, exit code, duration, timeout, typed error.")
            {
                id, iteration, timeoutSeconds, cwd, env, model, session, progress, root, lockTimeout, program,
            };
            command.SetAction(parsed => Run(() =>
            {
                string[] argv = parsed.GetValue(program)!;
                var request = new CaptureRequest(parsed.GetValue(iteration), argv[0])
                {
                    Arguments = argv.Skip(1).ToList(),
                    WorkingDirectory = parsed.GetValue(cwd) is string folder ? Path.GetFullPath(folder) : null,
                    Timeout = parsed.GetValue(timeoutSeconds) is double seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null,
                    Model = parsed.GetValue(model),
                    SessionId = parsed.GetValue(session),
                };
                foreach (KeyValuePair<string, object?> pair in Pairs(parsed.GetValue(env), "--env") ?? new OrderedJsonObject())
                {
                    request.Environment[pair.Key] = (string?)pair.Value;
                }

                Action<CaptureProgress>? report = null;
                if (parsed.GetValue(progress))
                {
                    var gate = new object();
                    report = p =>
                    {
                        lock (gate)
                        {
                            Console.Error.WriteLine(p.Stream == "started" ? $"started {p.AgentProcessId}" : $"{p.Stream} {p.Bytes}");
                            Console.Error.Flush();
                        }
                    };
                }

                using var cancel = new CancellationTokenSource();
                ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
                Console.CancelKeyPress += onCancel;
                try
                {
                    AgentResultRecord result = RunCapture.Run(Open(parsed, root, lockTimeout), parsed.GetValue(id)!, request, report, cancel.Token);
                    Console.WriteLine(result.Path);
                    if (result.Error is RunError error)
                    {
                        Console.Error.WriteLine($"agentstate: run {result.RunId} iteration {result.Iteration}: {error.Type}: {error.Message} Details: {Path.Combine(result.Folder, error.File ?? RunFiles.Agent(result.Iteration))}");
                        return ExitCodes.Failure;
                    }

                    return ExitCodes.Success;
                }
                finally
                {
                    Console.CancelKeyPress -= onCancel;
                }
            }));
            return command;
        }

        private static Command CreateEvents()
        {
            var id = RunId();
            var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing events as they are appended, until run:complete or --timeout." };
            var fromStart = new Option<bool>("--from-start") { Description = "With --follow, print the events already there first." };
            var timeout = new Option<double?>("--timeout") { Description = "With --follow, stop after this many seconds." };
            var root = Root();
            var command = new Command("events", "Print a run's events, one JSON line each; or follow them live.") { id, follow, fromStart, timeout, root };
            command.SetAction(parsed => Run(() =>
            {
                RunStore store = Open(parsed, root);
                string runId = parsed.GetValue(id)!;
                using Stream stdout = Console.OpenStandardOutput();
                IEnumerable<RunEvent> events;
                if (parsed.GetValue(follow))
                {
                    using var cancel = new CancellationTokenSource();
                    Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
                    double? seconds = parsed.GetValue(timeout);
                    events = store.FollowEvents(runId, parsed.GetValue(fromStart), seconds == null ? (TimeSpan?)null : TimeSpan.FromSeconds(seconds.Value), cancel.Token);
                    Print(events, stdout);
                }
                else
                {
                    Print(store.ReadEvents(runId), stdout);
                }

                return ExitCodes.Success;
            }));
            return command;
        }

        private static void Print(IEnumerable<RunEvent> events, Stream stdout)
        {
            foreach (RunEvent e in events)
            {
                byte[] line = JsonTreeWriter.WriteLine(e.Fields);
                stdout.Write(line, 0, line.Length);
                stdout.Flush();
            }
        }

        internal static OrderedJsonObject DiagnosisJson(RunDiagnosis diagnosis) => new OrderedJsonObject
        {
            ["runId"] = diagnosis.RunId,
            ["iteration"] = diagnosis.Iteration is int n ? (long)n : null,
            ["state"] = diagnosis.State,
            ["failed"] = diagnosis.Failed,
            ["errorType"] = diagnosis.ErrorType?.ToString(),
            ["message"] = diagnosis.Message,
            ["exitCode"] = diagnosis.Error?.ExitCode is int code ? (long)code : null,
            ["signal"] = diagnosis.Error?.Signal is int signal ? (long)signal : null,
            ["stderrTail"] = diagnosis.StderrTail.Cast<object?>().ToList(),
            ["failingChecks"] = diagnosis.FailingChecks.Cast<object?>().ToList(),
            ["files"] = diagnosis.Files.Cast<object?>().ToList(),
            ["commands"] = diagnosis.Commands.Cast<object?>().ToList(),
        };

        /// <summary>Fills a draft from the seed's AgentResult JSON; what it does not know goes to Extra, kept as given.</summary>
        private static void FillFromJson(AgentResultDraft draft, OrderedJsonObject json)
        {
            var extra = new OrderedJsonObject();
            foreach (KeyValuePair<string, object?> member in json)
            {
                switch (member.Key)
                {
                    case "stdout" when member.Value is string text:
                        draft.Stdout = AgentOutput.FromText(text);
                        break;
                    case "stderr" when member.Value is string text:
                        draft.Stderr = AgentOutput.FromText(text);
                        break;
                    case "toolCalls":
                        draft.ToolCalls = member.Value;
                        break;
                    case "durationMs" when member.Value is long ms:
                        draft.DurationMs = ms;
                        break;
                    case "success" when member.Value is bool ok:
                        draft.Success = ok;
                        break;
                    case "model" when member.Value is string model:
                        draft.Model = model;
                        break;
                    case "sessionId" when member.Value is string session:
                        draft.SessionId = session;
                        break;
                    case "exitCode" when member.Value is long code && code >= int.MinValue && code <= int.MaxValue:
                        draft.ExitCode = (int)code;
                        break;
                    case "error" when member.Value != null:
                        draft.Error = RunError.FromJson(member.Value);
                        break;
                    case "iteration":
                        break;
                    default:
                        extra[member.Key] = member.Value;
                        break;
                }
            }

            draft.Extra = extra;
        }

        private static OrderedJsonObject ReadObject(string source) =>
            ReadValue(source) as OrderedJsonObject ?? throw new UsageException($"{Describe(source)} is JSON but not an object.");

        private static object? ReadValue(string source)
        {
            byte[] bytes;
            if (source == "-")
            {
                using var stdin = Console.OpenStandardInput();
                using var copy = new MemoryStream();
                stdin.CopyTo(copy);
                bytes = copy.ToArray();
            }
            else
            {
                bytes = File.ReadAllBytes(Existing(source));
            }

            try
            {
                return JsonTreeReader.Read(bytes).Root;
            }
            catch (JsonTreeException ex)
            {
                throw new UsageException($"{Describe(source)} is not valid JSON: {ex.Message}");
            }
        }

        private static string Describe(string source) => source == "-" ? "standard input" : $"'{Path.GetFullPath(source)}'";

        private static string Existing(string path)
        {
            string full = Path.GetFullPath(path);
            return File.Exists(full) ? full : throw new FileNotFoundException($"'{full}' does not exist.", full);
        }

        private static OrderedJsonObject? Pairs(string[]? pairs, string option)
        {
            if (pairs == null || pairs.Length == 0)
            {
                return null;
            }

            var result = new OrderedJsonObject();
            foreach (string pair in pairs)
            {
                int equals = pair.IndexOf('=');
                if (equals <= 0)
                {
                    throw new UsageException($"{option} '{pair}' is not key=value.");
                }

                result[pair.Substring(0, equals)] = pair.Substring(equals + 1);
            }

            return result;
        }

        private static string Time(DateTimeOffset? time) => time == null ? "-" : IsoTimestamp.Format(time.Value);

        /// <summary>Malformed ids and values are usage errors (exit 2); the rest are failures (exit 1).</summary>
        private static int Run(Func<int> body) => CommandRunner.Run(() =>
        {
            try
            {
                return body();
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }
        });

        /// <summary>--error-type, --error-message, --error-file, --error-exit-code, --error-signal: one typed error.</summary>
        private sealed class ErrorOptions
        {
            private readonly Option<string?> _type = new Option<string?>("--error-type") { Description = "AgentCrash, TypecheckFailed, TestFailed, Timeout, VerificationFailed, InfrastructureError, Cancelled or Unknown." };
            private readonly Option<string?> _message = new Option<string?>("--error-message") { Description = "What happened." };
            private readonly Option<string?> _file = new Option<string?>("--error-file") { Description = "The file (in the run folder) that holds the details." };
            private readonly Option<int?> _exitCode = new Option<int?>("--error-exit-code") { Description = "The failed process's exit code." };
            private readonly Option<int?> _signal = new Option<int?>("--error-signal") { Description = "The signal that ended it." };

            public void AddTo(Command command)
            {
                command.Options.Add(_type);
                command.Options.Add(_message);
                command.Options.Add(_file);
                command.Options.Add(_exitCode);
                command.Options.Add(_signal);
            }

            public RunError? Read(ParseResult parsed)
            {
                string? type = parsed.GetValue(_type);
                if (type == null)
                {
                    if (parsed.GetValue(_message) != null || parsed.GetValue(_file) != null)
                    {
                        throw new UsageException("--error-message and --error-file need --error-type.");
                    }

                    return null;
                }

                return new RunError(RunErrorTypes.Parse(type), parsed.GetValue(_message) ?? type, parsed.GetValue(_file), parsed.GetValue(_exitCode), parsed.GetValue(_signal));
            }
        }
    }
}
