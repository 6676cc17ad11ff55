using System.Collections.Generic;
using System.Management.Automation;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>
    /// Resolves -Path and -LiteralPath the way PowerShell's own file cmdlets do: against the session's
    /// current location and drives through the provider API, never the process's working folder.
    /// </summary>
    internal sealed class ProviderPathResolver
    {
        private readonly PSCmdlet _cmdlet;

        public ProviderPathResolver(PSCmdlet cmdlet)
        {
            _cmdlet = cmdlet;
        }

        /// <summary>
        /// File-system paths for one -Path or -LiteralPath value. A -Path with wildcards must match existing
        /// items; a path without them may name a file that does not exist yet. Failures are written as
        /// non-terminating errors and yield nothing.
        /// </summary>
        public IReadOnlyList<string> Resolve(string path, bool literal)
        {
            var resolved = new List<string>();
            try
            {
                ProviderInfo provider;
                if (!literal && WildcardPattern.ContainsWildcardCharacters(path))
                {
                    foreach (string match in _cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider))
                    {
                        resolved.Add(match);
                    }
                }
                else
                {
                    resolved.Add(_cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _));
                }

                if (provider.Name != FileSystemProvider)
                {
                    _cmdlet.WriteError(NotFileSystem(path, provider));
                    return new string[0];
                }

                if (resolved.Count == 0)
                {
                    WritePathNotFound(path);
                }
            }
            catch (ItemNotFoundException ex)
            {
                _cmdlet.WriteError(new ErrorRecord(ex, "PathNotFound", ErrorCategory.ObjectNotFound, path));
                resolved.Clear();
            }
            catch (DriveNotFoundException ex)
            {
                _cmdlet.WriteError(new ErrorRecord(ex, "DriveNotFound", ErrorCategory.ObjectNotFound, path));
                resolved.Clear();
            }
            catch (ProviderNotFoundException ex)
            {
                _cmdlet.WriteError(new ErrorRecord(ex, "ProviderNotFound", ErrorCategory.ObjectNotFound, path));
                resolved.Clear();
            }

            return resolved;
        }

        /// <summary>
        /// A folder named by a parameter such as -Root, taken literally: its file-system path, which need not exist,
        /// or null after an error when it is not a file-system path (Env:/, Variable:/) or its drive does not exist.
        /// </summary>
        public string? ResolveFolder(string path)
        {
            IReadOnlyList<string> resolved = Resolve(path, literal: true);
            return resolved.Count == 1 ? resolved[0] : null;
        }

        /// <summary>The one error for a path of another provider, wherever a file-system path is needed.</summary>
        public static ErrorRecord NotFileSystem(string path, ProviderInfo provider) =>
            new ErrorRecord(
                new PSArgumentException($"Cannot use '{path}': it is not a file-system path (it belongs to the {provider.Name} provider). Give a file or folder on a file-system drive."),
                "NotFileSystemPath", ErrorCategory.InvalidArgument, path);

        private const string FileSystemProvider = "FileSystem";

        private void WritePathNotFound(string path) =>
            _cmdlet.WriteError(new ErrorRecord(
                new ItemNotFoundException($"Cannot find path '{path}' because it does not exist."),
                "PathNotFound", ErrorCategory.ObjectNotFound, path));
    }
}
