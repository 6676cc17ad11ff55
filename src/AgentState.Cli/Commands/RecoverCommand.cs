using System;
using System.CommandLine;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using AgentState.Agents;
using AgentState.Json;

namespace AgentState.Cli.Commands
{
    /// <summary><c>agentstate recover check|list|clear</c>: the seed's recovery tool.</summary>
    internal static class RecoverCommand
    {
        public static Command Create()
        {
            var command = new Command("recover", "Find and handle agents that a crash, shutdown or power cut left incomplete.");
            command.Subcommands.Add(CreateCheck());
            command.Subcommands.Add(CreateList());
            command.Subcommands.Add(CreateClear());
            return command;
        }

        private static Command CreateCheck()
        {
            var root = new StoreOptions.Naming();
            var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
            var check = new Command("check", "Summarise the store: incomplete agents by status and type, corrupt files, the oldest incomplete agent.") { json };
            root.AddTo(check);
            check.SetAction(parsed => CommandRunner.Run(() =>
            {
                AgentRecoverySummary summary = root.OpenExisting(parsed).Summarize();
                if (parsed.GetValue(json))
                {
                    WriteJson(summary);
                }
                else
                {
                    Console.WriteLine(summary.ToReport());
                }

                return ExitCodes.Success;
            }));
            return check;
        }

        private static Command CreateList()
        {
            var root = new StoreOptions.Naming();
            var json = new Option<bool>("--json") { Description = "Print a JSON array of the incomplete agents' state files." };
            var staleAfter = new Option<double?>("--stale-after") { Description = "Seconds without an update after which an agent counts as stale." };
            var list = new Command("list", "List the incomplete agents (pending, spawning, running) with whether their process still runs.") { json, staleAfter };
            root.AddTo(list);
            list.SetAction(parsed => CommandRunner.Run(() =>
            {
                IAgentStateStore store = root.OpenExisting(parsed);
                double? seconds = parsed.GetValue(staleAfter);
                var found = store.FindIncomplete(seconds == null ? (TimeSpan?)null : TimeSpan.FromSeconds(seconds.Value));
                // Streamed: each agent is printed and dropped, so a store of any size lists in flat memory.
                IEnumerable<IncompleteAgent> agents = WarnAboutCorrupt(found);
                if (parsed.GetValue(json))
                {
                    WriteJson(agents);
                }
                else
                {
                    WriteList(agents);
                }

                return ExitCodes.Success;
            }));
            return list;
        }

        private static Command CreateClear()
        {
            var root = new StoreOptions.Naming();
            var agentId = new Option<string?>("--agent-id") { Description = "Clear only this agent." };
            var yes = new Option<bool>("--yes", "-y") { Description = "Really delete the incomplete agents' state files." };
            var clear = new Command("clear", "Delete the state files of incomplete agents (all, or --agent-id). Needs --yes.") { agentId, yes };
            root.AddTo(clear);
            clear.SetAction(parsed => CommandRunner.Run(() =>
            {
                IAgentStateStore store = root.OpenExisting(parsed);
                string? only = parsed.GetValue(agentId);
                List<string> targets = only != null
                    ? new List<string> { only }
                    : store.FindIncomplete().Where(x => x.Agent != null).Select(x => x.Agent!.AgentId).ToList();
                if (only != null && store.TryGet(only) is not AgentStateRecord)
                {
                    Console.Error.WriteLine($"agentstate: the agent '{only}' has no state file in '{(store is AgentStateStore folder ? folder.StateFolder : store.Location)}'.");
                    return ExitCodes.Failure;
                }

                if (!parsed.GetValue(yes))
                {
                    throw new UsageException($"refusing to delete {targets.Count} incomplete agent state file(s) without --yes.");
                }

                int cleared = 0;
                foreach (string id in targets)
                {
                    if (store.Remove(id, record => only != null || record.IsIncomplete))
                    {
                        Console.WriteLine($"cleared {id}");
                        cleared++;
                    }
                }

                Console.WriteLine($"Cleared {cleared} agent state file(s).");
                return ExitCodes.Success;
            }));
            return clear;
        }

        private static IEnumerable<IncompleteAgent> WarnAboutCorrupt(IEnumerable<(IncompleteAgent? Agent, AgentStateEntry Entry)> found)
        {
            foreach (var (agent, entry) in found)
            {
                if (agent == null)
                {
                    StoreOptions.Warn(entry);
                }
                else
                {
                    yield return agent;
                }
            }
        }

        private static void WriteList(IEnumerable<IncompleteAgent> agents)
        {
            string rule = new string('=', 60);
            Console.WriteLine(rule);
            Console.WriteLine("INCOMPLETE AGENTS");
            Console.WriteLine(rule);
            int n = 0;
            foreach (IncompleteAgent agent in agents)
            {
                Console.WriteLine();
                Console.WriteLine($"[{++n}] Agent ID: {agent.AgentId}");
                Console.WriteLine($"    Name: {agent.Name}");
                Console.WriteLine($"    Type: {agent.Type}");
                Console.WriteLine($"    Status: {agent.StatusText}");
                Console.WriteLine($"    Started: {Time(agent.StartedAt)}");
                Console.WriteLine($"    Last update: {Time(agent.LastUpdated)}" + (agent.Stale ? " (stale)" : string.Empty));
                Console.WriteLine($"    Progress: {(agent.Progress ?? 0).ToString(CultureInfo.InvariantCulture)}%");
                Console.WriteLine($"    Parent: {agent.ParentId ?? "-"}");
                Console.WriteLine($"    Process: " + (agent.ProcessId == null ? "-" : $"{agent.ProcessId} ({(agent.ProcessAlive ? "running" : "not running")})"));
            }

            Console.WriteLine();
            Console.WriteLine(rule);
            Console.WriteLine($"Total: {n} incomplete agents");
            Console.WriteLine(rule);
        }

        private static string Time(DateTimeOffset? time) => time == null ? "-" : AgentStateRecord.FormatTime(time.Value);

        private static void WriteJson(AgentRecoverySummary summary)
        {
            using var stdout = Console.OpenStandardOutput();
            using var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true });
            writer.WriteStartObject();
            writer.WriteString("root", summary.Root);
            writer.WriteNumber("total", summary.Total);
            writer.WriteNumber("total_incomplete", summary.Incomplete);
            Counts(writer, "by_status", summary.IncompleteByStatus);
            Counts(writer, "by_type", summary.IncompleteByType);
            Counts(writer, "all_by_status", summary.ByStatus);
            writer.WriteNumber("corrupt", summary.Corrupt);
            writer.WriteStartArray("corrupt_files");
            foreach (string path in summary.CorruptFiles)
            {
                writer.WriteStringValue(path);
            }

            writer.WriteEndArray();
            if (summary.OldestIncomplete is AgentStateRecord oldest)
            {
                writer.WriteString("oldest_incomplete", oldest.AgentId);
            }
            else
            {
                writer.WriteNull("oldest_incomplete");
            }

            writer.WriteEndObject();
            writer.Flush();
            stdout.WriteByte((byte)'\n');
        }

        private static void Counts(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, int> counts)
        {
            writer.WriteStartObject(name);
            foreach (KeyValuePair<string, int> pair in counts)
            {
                writer.WriteNumber(pair.Key, pair.Value);
            }

            writer.WriteEndObject();
        }

        private static void WriteJson(IEnumerable<IncompleteAgent> agents)
        {
            using var stdout = Console.OpenStandardOutput();
            stdout.WriteByte((byte)'[');
            bool first = true;
            foreach (IncompleteAgent agent in agents)
            {
                byte[] record = JsonTreeWriter.Write(agent.Record.Fields, JsonTreeReader.Read("{}"));
                stdout.Write(first ? new[] { (byte)'\n' } : new[] { (byte)',', (byte)'\n' });
                stdout.Write(record, 0, record.Length);
                first = false;
            }

            stdout.Write(first ? new[] { (byte)']', (byte)'\n' } : new[] { (byte)'\n', (byte)']', (byte)'\n' });
        }
    }
}
