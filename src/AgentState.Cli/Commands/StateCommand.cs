using System;
using System.Collections;
using System.CommandLine;
using System.IO;
using AgentState.Agents;
using AgentState.Json;

namespace AgentState.Cli.Commands
{
    /// <summary><c>agentstate state new|get|set|cleanup</c>: one agent's state file, for scripts.</summary>
    internal static class StateCommand
    {
        public static Command Create()
        {
            var command = new Command("state", "Create, read, change and clean up agents' state files.");
            command.Subcommands.Add(CreateNew());
            command.Subcommands.Add(CreateGet());
            command.Subcommands.Add(CreateSet());
            command.Subcommands.Add(CreateCleanup());
            return command;
        }

        private static Command CreateNew()
        {
            var id = new Argument<string>("agent-id") { Description = "The agent's id: letters, digits, '.', '_', '-'." };
            var name = new Option<string>("--name") { Description = "agent_name.", Required = true };
            var type = new Option<string>("--type") { Description = "agent_type (L1, L2...).", Required = true };
            var parent = new Option<string?>("--parent") { Description = "parent_agent_id." };
            var model = new Option<string?>("--model") { Description = "model." };
            var prompt = new Option<string?>("--prompt") { Description = "prompt." };
            var status = StoreOptions.Status("--status", "The first status (default pending).");
            var pid = new Option<int?>("--pid") { Description = "The agent's process id." };
            var force = new Option<bool>("--force") { Description = "Overwrite an existing state file." };
            var root = new StoreOptions.Naming();
            var command = new Command("new", "Write a new agent's state file.") { id, name, type, parent, model, prompt, status, pid, force };
            root.AddTo(command);
            command.SetAction(parsed => CommandRunner.Run(() =>
            {
                var draft = new AgentStateDraft(parsed.GetValue(id)!, parsed.GetValue(name)!, parsed.GetValue(type)!)
                {
                    ParentId = parsed.GetValue(parent),
                    Model = parsed.GetValue(model),
                    Prompt = parsed.GetValue(prompt),
                    Status = StoreOptions.ParseStatus(parsed.GetValue(status)) ?? AgentStatus.Pending,
                    ProcessId = parsed.GetValue(pid),
                };
                AgentStateRecord record = Validated(() => root.Open(parsed).Create(draft, parsed.GetValue(force)));
                Console.WriteLine(record.Path);
                return ExitCodes.Success;
            }));
            return command;
        }

        private static Command CreateGet()
        {
            var id = new Argument<string>("agent-id") { Description = "The agent's id." };
            var root = new StoreOptions.Naming();
            var command = new Command("get", "Print an agent's state file.") { id };
            root.AddTo(command);
            command.SetAction(parsed => CommandRunner.Run(() =>
            {
                string agentId = parsed.GetValue(id)!;
                IAgentStateStore store = root.OpenExisting(parsed);
                AgentStateRecord record = Validated(() => store.TryGet(agentId)) ?? throw new AgentStateNotFoundException(agentId, StoreOptions.PlaceOf(store, agentId));
                Console.Out.Write(System.Text.Encoding.UTF8.GetString(JsonTreeWriter.Write(record.Fields)));
                return ExitCodes.Success;
            }));
            return command;
        }

        private static Command CreateSet()
        {
            var id = new Argument<string>("agent-id") { Description = "The agent's id." };
            var status = StoreOptions.Status("--status", "The new status; completed, failed and cancelled stamp their times.");
            var progress = new Option<double?>("--progress") { Description = "Progress, 0 to 100." };
            var message = new Option<string?>("--message") { Description = "progress_message." };
            var error = new Option<string?>("--error") { Description = "error (with --status failed)." };
            var pid = new Option<int?>("--pid") { Description = "The agent's process id." };
            var meta = new Option<string[]>("--meta") { Description = "key=value to set in metadata (repeatable).", AllowMultipleArgumentsPerToken = false };
            var force = new Option<bool>("--force") { Description = "Allow a finished agent to change status." };
            var root = new StoreOptions.Naming();
            var timeout = StoreOptions.LockTimeout();
            var command = new Command("set", "Change an agent's state under its lock.") { id, status, progress, message, error, pid, meta, force, timeout };
            root.AddTo(command);
            command.SetAction(parsed => CommandRunner.Run(() =>
            {
                var change = new AgentStateChange
                {
                    Status = StoreOptions.ParseStatus(parsed.GetValue(status)),
                    Progress = parsed.GetValue(progress),
                    Message = parsed.GetValue(message),
                    ErrorMessage = parsed.GetValue(error),
                    ProcessId = parsed.GetValue(pid),
                    Metadata = Metadata(parsed.GetValue(meta)),
                    Force = parsed.GetValue(force),
                };
                Validated(() => root.OpenExisting(parsed, parsed.GetValue(timeout)).Update(parsed.GetValue(id)!, change));
                return ExitCodes.Success;
            }));
            return command;
        }

        private static Command CreateCleanup()
        {
            var keepDays = new Option<double>("--keep-days") { Description = "Keep finished agents for this many days (default 7).", DefaultValueFactory = _ => 7 };
            var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Print what would be removed." };
            var root = new StoreOptions.Naming();
            var command = new Command("cleanup", "Remove completed, failed and cancelled agents that finished more than --keep-days ago. Never an incomplete one.") { keepDays, dryRun };
            root.AddTo(command);
            command.SetAction(parsed => CommandRunner.Run(() =>
            {
                IAgentStateStore store = root.OpenExisting(parsed);
                TimeSpan keep = TimeSpan.FromDays(parsed.GetValue(keepDays));
                DateTimeOffset cutoff = store.Now - keep;
                int removed = 0;
                foreach (AgentStateEntry entry in store.FindFinishedBefore(keep))
                {
                    if (entry.Record is not AgentStateRecord record)
                    {
                        StoreOptions.Warn(entry);
                        continue;
                    }

                    if (parsed.GetValue(dryRun))
                    {
                        Console.WriteLine($"would remove {record.AgentId} ({record.StatusText} {AgentStateRecord.FormatTime(record.FinishedAt!.Value)})");
                    }
                    else if (store.Remove(record.AgentId, current => AgentStateQueries.IsFinishedBefore(current, cutoff)))
                    {
                        Console.WriteLine($"removed {record.AgentId}");
                        removed++;
                    }
                }

                if (!parsed.GetValue(dryRun))
                {
                    Console.WriteLine($"Removed {removed} agent state file(s).");
                }

                return ExitCodes.Success;
            }));
            return command;
        }

        private static OrderedJsonObject? Metadata(string[]? pairs)
        {
            if (pairs == null || pairs.Length == 0)
            {
                return null;
            }

            var metadata = new OrderedJsonObject();
            foreach (string pair in pairs)
            {
                int equals = pair.IndexOf('=');
                if (equals <= 0)
                {
                    throw new UsageException($"--meta '{pair}' is not key=value.");
                }

                metadata[pair.Substring(0, equals)] = pair.Substring(equals + 1);
            }

            return metadata;
        }

        /// <summary>Malformed ids and values are usage errors (exit 2); the rest are failures (exit 1).</summary>
        private static T Validated<T>(Func<T> action)
        {
            try
            {
                return action();
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }
        }
    }
}
