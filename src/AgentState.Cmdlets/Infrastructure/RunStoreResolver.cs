using System.Management.Automation;
using AgentState.Runs;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>Opens the run store a run cmdlet works on: -Root through the provider, else the default under $PWD.</summary>
    internal static class RunStoreResolver
    {
        /// <summary>
        /// The store; null after a non-terminating error when -Root is not a file-system path or, unless
        /// <paramref name="create"/> (New-AgentRun makes the folder), when the folder does not exist.
        /// </summary>
        public static RunStore? Open(PSCmdlet cmdlet, string? root, bool create = false)
        {
            string? folder = string.IsNullOrEmpty(root)
                ? RunStore.DefaultRoot(cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath)
                : new ProviderPathResolver(cmdlet).ResolveFolder(root!);
            if (folder == null)
            {
                return null;
            }

            var store = new RunStore(folder);
            if (!create && !store.Exists)
            {
                var missing = new RunStoreNotFoundException(store.Root);
                cmdlet.WriteError(EngineErrors.For(missing, missing.Root)!);
                return null;
            }

            return store;
        }

        /// <summary>The typed error from -ErrorType, -ErrorMessage, -ErrorFile (and an exit code or signal), or null without a type.</summary>
        public static RunError? Error(RunErrorType? type, string? message, string? file, int? exitCode = null, int? signal = null) =>
            type is RunErrorType given ? new RunError(given, message ?? given.ToString(), file, exitCode, signal) : null;
    }
}
