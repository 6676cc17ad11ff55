using System;
using System.CommandLine;
using AgentState.Cli.Commands;

namespace AgentState.Cli
{
    /// <summary>The agentstate command: the engine for bash, cron and CI.</summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            // Referenced, not loaded by name: the native build keeps it without reflection.
            Stores.AgentStores.UsePostgres(() => new Postgres.PostgresBackend());
            var root = new RootCommand("agentstate: atomic, durable agent state files, trajectories and recovery.")
            {
                WriteCommand.Create(),
                UpdateCommand.Create(),
                MarkdownSetCommand.Create(),
                TempCommand.Create(),
                RecoverCommand.Create(),
                StateCommand.Create(),
                HistoryCommand.Create(),
                TrajectoryCommand.Create(),
                RetryCommand.Create(),
                QueueCommand.Create(),
                DbCommand.Create(),
                RunCommand.Create(),
            };

            ParseResult parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                foreach (var error in parsed.Errors)
                {
                    Console.Error.WriteLine($"agentstate: {error.Message}");
                }

                Console.Error.WriteLine("Try 'agentstate --help'.");
                return ExitCodes.Usage;
            }

            return parsed.Invoke();
        }
    }
}
