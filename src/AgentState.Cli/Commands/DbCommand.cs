using System;
using System.CommandLine;
using AgentState.Stores;

namespace AgentState.Cli.Commands
{
    /// <summary><c>agentstate db init</c>: create or migrate a PostgreSQL store's schema.</summary>
    internal static class DbCommand
    {
        public static Command Create()
        {
            var command = new Command("db", "Manage a PostgreSQL store's schema.");
            command.Subcommands.Add(CreateInit());
            return command;
        }

        private static Command CreateInit()
        {
            var store = StoreOptions.Store();
            var schema = new Option<string?>("--schema") { Description = "The schema to create the tables in (default: the store's schema=, else agentstate)." };
            var init = new Command("init", "Create the store's schema, or migrate it to this version; does nothing when it is current. Safe to run from several hosts at once.") { store, schema };
            init.SetAction(parsed => CommandRunner.Run(() =>
            {
                string? text = parsed.GetValue(store) ?? Environment.GetEnvironmentVariable(StoreLocator.StoreVariable);
                if (string.IsNullOrWhiteSpace(text) || !StoreLocator.IsPostgres(text!))
                {
                    throw new UsageException("db init needs a PostgreSQL store: --store postgresql://... (or Host=...), or $AGENTSTATE_STORE naming one. Folder stores need no schema.");
                }

                string done;
                try
                {
                    done = AgentStores.Postgres().Initialize(text!, new StoreOpenOptions { Schema = parsed.GetValue(schema) });
                }
                catch (ArgumentException ex)
                {
                    throw new UsageException(ex.Message);
                }

                Console.WriteLine(done);
                return ExitCodes.Success;
            }));
            return init;
        }
    }
}
