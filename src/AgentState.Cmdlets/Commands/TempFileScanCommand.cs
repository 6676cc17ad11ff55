using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using AgentState.Commands.Infrastructure;
using AgentState.Recovery;

namespace AgentState.Commands
{
    /// <summary>The parameters, and the scan, that Get-OrphanedTempFile and Restore-FromTempFile share.</summary>
    public abstract class TempFileScanCommand : PSCmdlet
    {
        // Several orphans of one target piped in name that target several times: it is scanned once.
        private readonly HashSet<string> _scanned = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>The parameter set of -Path.</summary>
        protected const string PathSet = "Path";

        /// <summary>The parameter set of -LiteralPath.</summary>
        protected const string LiteralPathSet = "LiteralPath";

        /// <summary>Target files or folders; wildcards match existing items. The current location by default.</summary>
        [Parameter(Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = { "." };

        /// <summary>
        /// Target files or folders, or temp files, exactly as typed. It takes a FileInfo's PSPath and an
        /// orphan's TargetPath from the pipeline, so Get-ChildItem and Get-OrphanedTempFile pipe into it.
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP", "TargetPath")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = new string[0];

        /// <summary>Look in subfolders too.</summary>
        [Parameter]
        public SwitchParameter Recurse { get; set; }

        /// <summary>Judges content instead of the default rules: $_ is the file's FileInfo; return $true when valid.</summary>
        [Parameter]
        public ScriptBlock? Validator { get; set; }

        /// <summary>The -Validator script block as the engine's validator (null for the default rules).</summary>
        protected ContentValidator? ContentValidator => ScriptBlockValidator.From(Validator);

        /// <summary>
        /// The orphans of every path the parameters name, target by target, each target once per pipeline; a path
        /// that is not there (with no temp file of it), a missing folder or an unreadable one is written as an
        /// error and the others go on.
        /// </summary>
        protected IEnumerable<IEnumerable<OrphanedTempFile>> ScanEach(OrphanedTempScanner scanner)
        {
            bool literal = ParameterSetName == LiteralPathSet;
            var resolver = new ProviderPathResolver(this);
            foreach (string path in literal ? LiteralPath : Path)
            {
                foreach (string resolved in resolver.Resolve(path, literal))
                {
                    if (!_scanned.Add(resolved))
                    {
                        continue;
                    }

                    List<OrphanedTempFile> found;
                    try
                    {
                        found = new List<OrphanedTempFile>(scanner.Scan(resolved, Recurse));
                    }
                    catch (DirectoryNotFoundException ex)
                    {
                        WriteError(new ErrorRecord(ex, "PathNotFound", ErrorCategory.ObjectNotFound, resolved));
                        continue;
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                    {
                        WriteError(EngineErrors.For(ex, resolved));
                        continue;
                    }

                    yield return found;
                }
            }
        }
    }
}
