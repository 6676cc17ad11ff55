using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using AgentState.Json;
using AgentState.Trajectories;

namespace AgentState.Cli.Commands
{
    /// <summary><c>agentstate traj start|add|complete|list|steps|tail|export|repair</c>: ATIF trajectories from a shell.</summary>
    internal static class TrajectoryCommand
    {
        private static readonly JsonTree Compact = JsonTreeReader.Read("{}");

        public static Command Create()
        {
            var command = new Command("traj", "Stream an agent's ATIF trajectory to JSONL, and read, follow, export and repair it.");
            command.Subcommands.Add(CreateStart());
            command.Subcommands.Add(CreateAdd());
            command.Subcommands.Add(CreateComplete());
            command.Subcommands.Add(CreateList());
            command.Subcommands.Add(CreateSteps());
            command.Subcommands.Add(CreateTail());
            command.Subcommands.Add(CreateExport());
            command.Subcommands.Add(CreateRepair());
            return command;
        }

        private sealed class Target
        {
            public Option<string?> Path { get; } = new Option<string?>("--path") { Description = "The trajectory file (.atif.jsonl, or a legacy .json where reading)." };

            public Option<string?> SessionId { get; } = new Option<string?>("--session-id") { Description = "The session, looked up under --root." };

            public Option<string?> Root { get; } = Root();

            public void AddTo(Command command)
            {
                command.Options.Add(Path);
                command.Options.Add(SessionId);
                command.Options.Add(Root);
            }

            public string Resolve(ParseResult parsed)
            {
                string? path = parsed.GetValue(Path);
                string? session = parsed.GetValue(SessionId);
                if ((path == null) == (session == null))
                {
                    throw new UsageException("give either --path or --session-id.");
                }

                if (path != null)
                {
                    return System.IO.Path.GetFullPath(path);
                }

                string root = RootOf(parsed.GetValue(Root));
                try
                {
                    return TrajectoryFiles.Find(root, session!) ?? throw new TrajectoryNotFoundException($"no session '{session}' under '{root}'", null);
                }
                catch (ArgumentException ex)
                {
                    throw new UsageException(ex.Message);
                }
            }
        }

        private static Option<string?> Root() => new Option<string?>("--root") { Description = "The trajectories' root. Default: $AGENTSTATE_TRAJECTORIES, else ./.agentstate/trajectories." };

        private static string RootOf(string? root) => root ?? TrajectoryFiles.DefaultRoot(Environment.CurrentDirectory);

        private static Command CreateStart()
        {
            var session = new Option<string?>("--session-id") { Description = "The session id (generated when absent): letters, digits, '.', '_', '-'." };
            var agentName = new Option<string>("--agent-name") { Description = "agent.name.", Required = true };
            var agentVersion = new Option<string>("--agent-version") { Description = "agent.version.", Required = true };
            var model = new Option<string?>("--model-name") { Description = "agent.model_name." };
            var schema = new Option<string>("--schema-version") { Description = "ATIF-v1.0 to ATIF-v1.7 (default ATIF-v1.4).", DefaultValueFactory = _ => AtifSchema.DefaultVersion };
            var notes = new Option<string?>("--notes") { Description = "notes." };
            var root = Root();
            var command = new Command("start", "Create a trajectory (its header line and index) and print its path.") { session, agentName, agentVersion, model, schema, notes, root };
            command.SetAction(parsed => CommandRunner.Run(() => Usage(() =>
            {
                var start = new TrajectoryStart(RootOf(parsed.GetValue(root)), parsed.GetValue(agentName)!, parsed.GetValue(agentVersion)!)
                {
                    SessionId = parsed.GetValue(session),
                    ModelName = parsed.GetValue(model),
                    SchemaVersion = parsed.GetValue(schema)!,
                    Notes = parsed.GetValue(notes),
                };
                using TrajectoryWriter writer = TrajectoryWriter.Start(start);
                Console.WriteLine(writer.Path);
                return ExitCodes.Success;
            })));
            return command;
        }

        private static Command CreateAdd()
        {
            var target = new Target();
            var source = new Option<string?>("--source") { Description = "system, user or agent. Without it, steps are read from standard input as JSON, one per line." };
            source.AcceptOnlyFromAmong("system", "user", "agent");
            var message = new Option<string?>("--message") { Description = "The step's message." };
            var reasoning = new Option<string?>("--reasoning") { Description = "reasoning_content (agent steps)." };
            var model = new Option<string?>("--model-name") { Description = "model_name (agent steps)." };
            var toolCalls = new Option<string[]>("--tool-call") { Description = "A tool call as a JSON object (repeatable)." };
            var observation = new Option<string?>("--observation") { Description = "observation as a JSON object." };
            var metrics = new Option<string?>("--metrics") { Description = "metrics as a JSON object." };
            var extra = new Option<string?>("--extra") { Description = "extra as a JSON object." };
            var timestamp = new Option<string?>("--timestamp") { Description = "ISO 8601; now when absent." };
            var durability = new Option<StepDurability>("--durability") { Description = "Durable (fdatasync each step; the default) or Batch (one at the end)." };
            var timeout = new Option<double>("--lock-timeout") { Description = "Seconds to wait for another writer (default 10).", DefaultValueFactory = _ => 10 };
            var command = new Command("add", "Append steps (from the options, or JSON lines on standard input); print each step's id once it is durable.")
            {
                source, message, reasoning, model, toolCalls, observation, metrics, extra, timestamp, durability, timeout,
            };
            target.AddTo(command);
            command.SetAction(parsed => CommandRunner.Run(() => Usage(() =>
            {
                string path = target.Resolve(parsed);
                var options = new TrajectoryWriterOptions { Durability = parsed.GetValue(durability), LockTimeout = TimeSpan.FromSeconds(parsed.GetValue(timeout)) };
                using TrajectoryWriter writer = TrajectoryWriter.Open(path, options);
                if (writer.RepairedTornBytes > 0)
                {
                    Console.Error.WriteLine($"agentstate: warning: a torn last line ({writer.RepairedTornBytes} bytes) was moved to '{writer.TornPath}'.");
                }

                if (parsed.GetValue(source) is string from)
                {
                    var step = new OrderedJsonObject { ["source"] = from, ["message"] = parsed.GetValue(message) ?? string.Empty };
                    Put(step, "timestamp", parsed.GetValue(timestamp));
                    Put(step, "model_name", parsed.GetValue(model));
                    Put(step, "reasoning_content", parsed.GetValue(reasoning));
                    string[] calls = parsed.GetValue(toolCalls) ?? Array.Empty<string>();
                    if (calls.Length > 0)
                    {
                        step["tool_calls"] = calls.Select(c => (object?)ParseObject(c, "--tool-call")).ToList();
                    }

                    PutJson(step, "observation", parsed.GetValue(observation));
                    PutJson(step, "metrics", parsed.GetValue(metrics));
                    PutJson(step, "extra", parsed.GetValue(extra));
                    Console.WriteLine(writer.Append(step)["step_id"]);
                    return ExitCodes.Success;
                }

                // One step per line of standard input; each id is printed after its line is durable (or, in Batch, written).
                using var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
                string? line;
                long lineNumber = 0;
                while ((line = input.ReadLine()) != null)
                {
                    lineNumber++;
                    if (line.Trim().Length == 0)
                    {
                        continue;
                    }

                    Console.WriteLine(writer.Append(ParseObject(line, $"standard input line {lineNumber}"))["step_id"]);
                }

                return ExitCodes.Success;
            })));
            return command;
        }

        private static Command CreateComplete()
        {
            var target = new Target();
            var status = new Option<string>("--status") { Description = "completed (the default) or failed.", DefaultValueFactory = _ => "completed" };
            status.AcceptOnlyFromAmong("completed", "failed");
            var final = new Option<string?>("--final-metrics") { Description = "final_metrics as a JSON object; summed from the steps when absent." };
            var notes = new Option<string?>("--notes") { Description = "notes for the final line." };
            var command = new Command("complete", "Append the final line and close the trajectory.") { status, final, notes };
            target.AddTo(command);
            command.SetAction(parsed => CommandRunner.Run(() => Usage(() =>
            {
                using TrajectoryWriter writer = TrajectoryWriter.Open(target.Resolve(parsed));
                string? metrics = parsed.GetValue(final);
                writer.Complete(parsed.GetValue(status) == "failed" ? TrajectoryStatus.Failed : TrajectoryStatus.Completed,
                    metrics == null ? null : ParseObject(metrics, "--final-metrics"), parsed.GetValue(notes));
                return ExitCodes.Success;
            })));
            return command;
        }

        private static Command CreateList()
        {
            var root = Root();
            var session = new Option<string?>("--session-id") { Description = "Only sessions matching this pattern (* and ? wildcards)." };
            var status = new Option<string?>("--status") { Description = "in_progress, completed or failed." };
            status.AcceptOnlyFromAmong("in_progress", "completed", "failed");
            var json = new Option<bool>("--json") { Description = "One JSON object per trajectory, one per line." };
            var command = new Command("list", "List trajectories with their status, step count and last step.") { root, session, status, json };
            command.SetAction(parsed => CommandRunner.Run(() =>
            {
                string? pattern = parsed.GetValue(session);
                System.Text.RegularExpressions.Regex? match = pattern == null ? null
                    : new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$");
                TrajectoryStatus? wanted = TrajectoryStatuses.Parse(parsed.GetValue(status));
                bool any = false;
                foreach (string file in TrajectoryFiles.All(RootOf(parsed.GetValue(root))))
                {
                    TrajectorySummary summary;
                    try
                    {
                        summary = TrajectorySummary.Inspect(file);
                    }
                    catch (TrajectoryCorruptException ex)
                    {
                        Console.Error.WriteLine("agentstate: warning: " + ex.Message);
                        continue;
                    }

                    if ((match != null && !match.IsMatch(summary.SessionId)) || (wanted != null && summary.Status != wanted))
                    {
                        continue;
                    }

                    if (parsed.GetValue(json))
                    {
                        Console.WriteLine(SummaryJson(summary));
                    }
                    else
                    {
                        if (!any)
                        {
                            Console.WriteLine($"{"STATUS",-11} {"STEPS",7} {"LAST STEP AT",-24} SESSION");
                        }

                        Console.WriteLine($"{summary.Status.ToFileText(),-11} {summary.StepCount,7} {summary.LastStepAtText ?? "-",-24} {summary.SessionId}"
                            + (summary.TornBytes > 0 ? $"  ({summary.TornBytes} torn bytes)" : string.Empty));
                    }

                    any = true;
                }

                return ExitCodes.Success;
            }));
            return command;
        }

        private static Command CreateSteps()
        {
            var target = new Target();
            var source = new Option<string?>("--source") { Description = "Only steps from system, user or agent." };
            source.AcceptOnlyFromAmong("system", "user", "agent");
            var first = new Option<long?>("--first") { Description = "At most this many steps." };
            var skip = new Option<long>("--skip") { Description = "Skip this many steps first." };
            var command = new Command("steps", "Print the steps as JSON lines; malformed lines and a torn tail are reported on standard error.") { source, first, skip };
            target.AddTo(command);
            command.SetAction(parsed => CommandRunner.Run(() => Usage(() =>
            {
                string path = target.Resolve(parsed);
                string? from = parsed.GetValue(source);
                long skipped = 0, written = 0, limit = parsed.GetValue(first) ?? long.MaxValue, toSkip = parsed.GetValue(skip);
                using Stream stdout = Console.OpenStandardOutput();
                foreach (TrajectoryLine line in TrajectoryLineReader.Read(path))
                {
                    if (line.Kind == TrajectoryLineKind.Malformed)
                    {
                        Console.Error.WriteLine($"agentstate: warning: '{path}' line {line.LineNumber} is not valid JSON: {line.Error}");
                        continue;
                    }

                    if (line.Kind == TrajectoryLineKind.Torn)
                    {
                        Console.Error.WriteLine($"agentstate: warning: '{path}' ends with a torn line of {line.Length} bytes; it was skipped (traj repair sets it aside).");
                        continue;
                    }

                    if (line.Kind != TrajectoryLineKind.Step || (from != null && !Equals(line.Value!["source"], from)))
                    {
                        continue;
                    }

                    if (skipped++ < toSkip)
                    {
                        continue;
                    }

                    if (written++ >= limit)
                    {
                        break;
                    }

                    byte[] bytes = JsonTreeWriter.Write(line.Value, Compact);
                    stdout.Write(bytes, 0, bytes.Length);
                    stdout.WriteByte((byte)'\n');
                }

                return ExitCodes.Success;
            })));
            return command;
        }

        private static Command CreateTail()
        {
            var target = new Target();
            var fromStart = new Option<bool>("--from-start") { Description = "Print the steps already there first." };
            var timeout = new Option<double?>("--timeout") { Description = "Stop after this many seconds." };
            var command = new Command("tail", "Follow a trajectory another process is writing: print each step as it lands, stop at the final line.") { fromStart, timeout };
            target.AddTo(command);
            command.SetAction(parsed => CommandRunner.Run(() => Usage(() =>
            {
                string path = target.Resolve(parsed);
                double? seconds = parsed.GetValue(timeout);
                using var cancel = new System.Threading.CancellationTokenSource();
                Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
                using Stream stdout = Console.OpenStandardOutput();
                foreach (TrajectoryLine line in TrajectoryFollower.Follow(path, parsed.GetValue(fromStart), seconds == null ? (TimeSpan?)null : TimeSpan.FromSeconds(seconds.Value), cancel.Token))
                {
                    if (line.Kind == TrajectoryLineKind.Malformed)
                    {
                        Console.Error.WriteLine($"agentstate: warning: a line of '{path}' is not valid JSON: {line.Error}");
                        continue;
                    }

                    byte[] bytes = JsonTreeWriter.Write(line.Value, Compact);
                    stdout.Write(bytes, 0, bytes.Length);
                    stdout.WriteByte((byte)'\n');
                    stdout.Flush();
                }

                return ExitCodes.Success;
            })));
            return command;
        }

        private static Command CreateExport()
        {
            var target = new Target();
            var destination = new Option<string?>("--destination", "-o") { Description = "Write here (atomically); standard output when absent." };
            var schema = new Option<string?>("--schema-version") { Description = "Write this schema_version instead of the trajectory's." };
            var command = new Command("export", "Export one ATIF document that Harbor's validator accepts.") { destination, schema };
            target.AddTo(command);
            command.SetAction(parsed => CommandRunner.Run(() => Usage(() =>
            {
                string path = target.Resolve(parsed);
                if (parsed.GetValue(destination) is string file)
                {
                    TrajectoryExporter.ExportToFile(path, file, parsed.GetValue(schema));
                    return ExitCodes.Success;
                }

                using var buffer = new MemoryStream();
                TrajectoryExporter.Export(path, buffer, parsed.GetValue(schema)); // Validated whole before a byte is printed.
                using Stream stdout = Console.OpenStandardOutput();
                buffer.Position = 0;
                buffer.CopyTo(stdout);
                return ExitCodes.Success;
            })));
            return command;
        }

        private static Command CreateRepair()
        {
            var target = new Target();
            var markFailed = new Option<bool>("--mark-failed") { Description = "Close an abandoned (in-progress) run as failed." };
            var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Say what would be done; change nothing." };
            var command = new Command("repair", "Move a torn tail into <file>.torn, rebuild the index from the stream, and optionally close an abandoned run as failed.") { markFailed, dryRun };
            target.AddTo(command);
            command.SetAction(parsed => CommandRunner.Run(() => Usage(() =>
            {
                TrajectoryRepairResult result = TrajectoryRepair.Repair(target.Resolve(parsed), parsed.GetValue(markFailed), parsed.GetValue(dryRun));
                string verb = result.Performed ? "" : "would ";
                Console.WriteLine(result.TornBytes > 0 ? $"{verb}move {result.TornBytes} torn bytes to {result.TornPath}" : "no torn tail");
                Console.WriteLine($"{verb}rebuild the index: {result.StepCount} steps, {result.Status.ToFileText()}" + (result.MarkedFailed ? " (closed as failed)" : string.Empty));
                return ExitCodes.Success;
            })));
            return command;
        }

        private static string SummaryJson(TrajectorySummary summary)
        {
            var value = new OrderedJsonObject
            {
                ["session_id"] = summary.SessionId,
                ["status"] = summary.Status.ToFileText(),
                ["step_count"] = summary.StepCount,
                ["last_step_at"] = summary.LastStepAtText,
                ["agent"] = summary.Agent,
                ["final_metrics"] = summary.FinalMetrics,
                ["path"] = summary.Path,
                ["torn_bytes"] = summary.TornBytes,
                ["index_stale"] = summary.IndexStale,
                ["legacy"] = summary.IsLegacy,
            };
            return Encoding.UTF8.GetString(JsonTreeWriter.Write(value, Compact));
        }

        private static OrderedJsonObject ParseObject(string json, string what)
        {
            try
            {
                return JsonTreeReader.Read(json).Root as OrderedJsonObject ?? throw new UsageException($"{what} must be a JSON object.");
            }
            catch (JsonTreeException ex)
            {
                throw new UsageException($"{what} is not valid JSON: {ex.Message}");
            }
        }

        private static void Put(OrderedJsonObject step, string key, string? value)
        {
            if (value != null)
            {
                step[key] = value;
            }
        }

        private static void PutJson(OrderedJsonObject step, string key, string? json)
        {
            if (json != null)
            {
                step[key] = ParseObject(json, "--" + key);
            }
        }

        /// <summary>Malformed ids are usage errors (exit 2); an invalid step is a failure (exit 1) that names the rule.</summary>
        private static int Usage(Func<int> body)
        {
            try
            {
                return body();
            }
            catch (ArgumentException ex) when (ex.ParamName == "sessionid")
            {
                throw new UsageException(ex.Message);
            }
        }
    }
}
