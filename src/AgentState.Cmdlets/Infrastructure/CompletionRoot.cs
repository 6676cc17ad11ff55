using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>
    /// The folder a completer lists: the -Root typed on the command line (through the provider, so PSDrives and
    /// relative paths work), else the default root under the session's file-system location.
    /// </summary>
    /// <remarks>
    /// A completer runs while TabExpansion2's pipeline runs, where Runspace.DefaultRunspace.SessionStateProxy
    /// refuses every call ("a pipeline is in progress"). A nested PowerShell in the current runspace is allowed.
    /// </remarks>
    internal static class CompletionRoot
    {
        /// <summary>The folder, or null when it cannot be known (no runspace, or a -Root that does not resolve to a file-system folder).</summary>
        public static string? Find(IDictionary fakeBoundParameters, Func<string, string> defaultRoot)
        {
            using (PowerShell shell = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                PathInfo? resolved;
                if (fakeBoundParameters["Root"] is object typed && LanguagePrimitives.ConvertTo<string>(typed) is string root && root.Length > 0)
                {
                    resolved = shell.AddCommand("Microsoft.PowerShell.Management\\Resolve-Path").AddParameter("LiteralPath", root)
                        .AddParameter("ErrorAction", ActionPreference.Ignore).Invoke<PathInfo>().FirstOrDefault();
                    return resolved?.Provider.Name == "FileSystem" ? resolved.ProviderPath : null;
                }

                resolved = shell.AddCommand("Microsoft.PowerShell.Management\\Get-Location").AddParameter("PSProvider", "FileSystem").Invoke<PathInfo>().FirstOrDefault();
                return resolved == null ? null : defaultRoot(resolved.ProviderPath);
            }
        }

        /// <summary>
        /// The ids <paramref name="idsUnder"/> finds in the root (the default one, or -Root) that start with the word typed,
        /// sorted, at most 500. Never throws for a folder that is missing or unreadable: completion offers what it can
        /// and never fails the prompt.
        /// </summary>
        public static IEnumerable<CompletionResult> Offer(IDictionary fakeBoundParameters, Func<string, string> defaultRoot, string? wordToComplete,
            Func<string, IEnumerable<string>> idsUnder)
        {
            try
            {
                string? root = Find(fakeBoundParameters, defaultRoot);
                if (root == null || !Directory.Exists(root))
                {
                    return Enumerable.Empty<CompletionResult>();
                }

                string prefix = Prefix(wordToComplete);
                return idsUnder(root)
                    .Where(id => id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    .Distinct(StringComparer.Ordinal)
                    .OrderBy(id => id, StringComparer.OrdinalIgnoreCase)
                    .Take(500)
                    .Select(id => new CompletionResult(id, id, CompletionResultType.ParameterValue, id))
                    .ToList();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is InvalidOperationException || ex is RuntimeException)
            {
                return Enumerable.Empty<CompletionResult>();
            }
        }

        /// <summary>The word being completed without the quotes a user may have typed.</summary>
        public static string Prefix(string? wordToComplete) => (wordToComplete ?? string.Empty).Trim('\'', '"');
    }
}
