using System;
using System.IO;
using AgentState.IO;

namespace AgentState.Cli
{
    /// <summary>Runs a command's body and turns the engine's failures into one line on stderr and an exit code.</summary>
    internal static class CommandRunner
    {
        public static int Run(Func<int> body)
        {
            try
            {
                return body();
            }
            catch (UsageException ex)
            {
                Console.Error.WriteLine($"agentstate: {ex.Message}");
                return ExitCodes.Usage;
            }
            catch (AtomicWriteException ex)
            {
                Console.Error.WriteLine($"agentstate: {ex.Message}");
                return ExitCodes.Failure;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is InvalidDataException
                || ex is FormatException || ex is Markdown.MarkdownFieldNotFoundException || ex is Agents.AgentTransitionException || ex is Trajectories.TrajectoryClosedException
                || ex is Stores.StoreBackendUnavailableException || ex is Stores.StoreSchemaException
                || ex is Runs.RunFinishedException)
            {
                Console.Error.WriteLine($"agentstate: {ex.Message}");
                return ExitCodes.Failure;
            }
        }
    }

    /// <summary>A command line that parsed but makes no sense (an unknown encoding, say): exit code 2.</summary>
    internal sealed class UsageException : Exception
    {
        public UsageException(string message)
            : base(message)
        {
        }
    }
}
