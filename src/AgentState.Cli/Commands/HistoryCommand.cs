using System;
using System.CommandLine;
using System.Linq;
using AgentState.History;

namespace AgentState.Cli.Commands
{
    /// <summary><c>agentstate history rebuild [&lt;dir&gt;]</c>: rebuild agent-history.json from SUMMARY.md files.</summary>
    internal static class HistoryCommand
    {
        public static Command Create()
        {
            var folder = new Argument<string>("dir") { Description = "The run's state folder (default .long-run).", DefaultValueFactory = _ => ".long-run" };
            var force = new Option<bool>("--force") { Description = "Replace a history that exists and is valid." };
            var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Print what would be written and write nothing." };
            var maxEntries = new Option<int>("--max-entries") { Description = "Keep the newest N entries (default 50).", DefaultValueFactory = _ => HistoryRebuilder.DefaultMaxEntries };
            var summaries = new Option<string[]>("--summary") { Description = "Summary files to use instead of the ones found in the folder (repeatable)." };
            var rebuild = new Command("rebuild", "Rebuild agent-history.json from the *-SUMMARY.md files that completed plans left.")
            {
                folder, force, dryRun, maxEntries, summaries,
            };
            rebuild.SetAction(parsed => CommandRunner.Run(() =>
            {
                int max = parsed.GetValue(maxEntries);
                if (max < 1)
                {
                    throw new UsageException("--max-entries must be at least 1.");
                }

                string[]? files = parsed.GetValue(summaries);
                HistoryRebuildResult result = new HistoryRebuilder().Rebuild(parsed.GetValue(folder)!, files != null && files.Length > 0 ? files : null,
                    max, parsed.GetValue(force), parsed.GetValue(dryRun));
                foreach (SummaryWarning warning in result.Warnings)
                {
                    Console.Error.WriteLine("agentstate: warning: " + warning);
                }

                switch (result.Action)
                {
                    case HistoryRebuildAction.KeptValid:
                        Console.WriteLine($"{result.HistoryPath} exists and is valid; it was kept (use --force to rebuild it from {result.CompletedPlans} summaries).");
                        break;
                    case HistoryRebuildAction.WouldRebuild:
                        Console.Out.Write(System.Text.Encoding.UTF8.GetString(result.Document));
                        break;
                    default:
                        Console.WriteLine($"Reconstructed {result.CompletedPlans} completed plans; wrote {result.EntriesWritten} entries to {result.HistoryPath}"
                            + (result.LastPlan == null ? "." : $"; last plan {result.LastPlan}, completed {result.LastCompletedText}."));
                        break;
                }

                return ExitCodes.Success;
            }));

            var command = new Command("history", "Work with a long run's agent-history.json.");
            command.Subcommands.Add(rebuild);
            return command;
        }
    }
}
