using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AgentState.IO;
using AgentState.Platform;

namespace AgentState.Recovery
{
    /// <summary>
    /// Finds the temp files interrupted writes left: this module's <c>&lt;name&gt;.tmp.&lt;pid&gt;.&lt;random&gt;</c>
    /// and the seed scripts' <c>&lt;name&gt;.tmp.&lt;pid&gt;</c>, for one target or for every file of a folder.
    /// Results stream folder by folder, so a large tree is never held in memory.
    /// </summary>
    public sealed class OrphanedTempScanner
    {
        /// <summary>The folder, beside the temps, that invalid ones are moved into.</summary>
        public const string QuarantineFolderName = ".agentstate-quarantine";

        private readonly ContentValidator _validator;
        private readonly Func<int, bool> _processExists;

        /// <summary>A scanner with the default validator and this machine's process table.</summary>
        public OrphanedTempScanner(ContentValidator? validator = null)
            : this(validator, NativePlatform.Current.ProcessExists)
        {
        }

        /// <summary>A scanner with a given liveness check (tests use it to play a live writer).</summary>
        public OrphanedTempScanner(ContentValidator? validator, Func<int, bool> processExists)
        {
            _validator = validator ?? DefaultContentValidator.Instance;
            _processExists = processExists ?? throw new ArgumentNullException(nameof(processExists));
        }

        /// <summary>
        /// The orphans of <paramref name="path"/>: if it is a folder, of every file in it (and below, with
        /// <paramref name="recurse"/>); if it is a temp file, that one; otherwise of that one target, which need
        /// not exist as long as a temp file of it does.
        /// </summary>
        /// <exception cref="DirectoryNotFoundException">Neither the path nor its folder exists.</exception>
        /// <exception cref="FileNotFoundException">The path is neither a file, a folder, nor the target of a temp file.</exception>
        public IEnumerable<OrphanedTempFile> Scan(string path, bool recurse = false)
        {
            string full = Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                return ScanFolder(full, recurse);
            }

            string folder = Path.GetDirectoryName(full) ?? full;
            if (!Directory.Exists(folder))
            {
                throw new DirectoryNotFoundException($"Cannot look for temp files of '{path}': the folder '{folder}' does not exist.");
            }

            string name = Path.GetFileName(full);
            if (File.Exists(full) && TempFileName.TryParse(name, out TempFileName? temp))
            {
                // A temp file itself (Get-ChildItem *.tmp.* piped in): that orphan alone.
                return new[] { Describe(full, Path.Combine(folder, temp!.TargetName), temp) };
            }

            var orphans = ScanOne(folder, name).ToList();
            if (orphans.Count == 0 && !File.Exists(full))
            {
                // A wrong path must not look like a clean folder.
                throw new FileNotFoundException($"Cannot look for temp files of '{path}': there is no such file or folder, and no temp file of it.", full);
            }

            return orphans;
        }

        private IEnumerable<OrphanedTempFile> ScanOne(string folder, string targetName)
        {
            // Every name, filtered here: see ScanFolder for why the file system is given no pattern.
            foreach (string file in Directory.EnumerateFiles(folder).OrderBy(f => f, StringComparer.Ordinal))
            {
                if (TempFileName.TryParse(Path.GetFileName(file), out TempFileName? temp) && temp!.TargetName == targetName)
                {
                    yield return Describe(file, Path.Combine(folder, targetName), temp);
                }
            }
        }

        private IEnumerable<OrphanedTempFile> ScanFolder(string root, bool recurse)
        {
            var pending = new Stack<string>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                string folder = pending.Pop();
                var found = new List<OrphanedTempFile>();
                // No pattern: on Windows .NET turns "*.tmp.*" into the DOS wildcards "*.tmp\"*" for NtQueryDirectoryFile, which
                // Wine 8.0 does not understand (it matched nothing, docs/wine.md); TryParse is the real filter on every system.
                foreach (string file in Directory.EnumerateFiles(folder))
                {
                    if (TempFileName.TryParse(Path.GetFileName(file), out TempFileName? temp))
                    {
                        found.Add(Describe(file, Path.Combine(folder, temp!.TargetName), temp));
                    }
                }

                foreach (OrphanedTempFile orphan in found.OrderBy(o => o.TargetPath, StringComparer.Ordinal).ThenBy(o => o.TempPath, StringComparer.Ordinal))
                {
                    yield return orphan;
                }

                if (recurse)
                {
                    foreach (string sub in Directory.EnumerateDirectories(folder).OrderByDescending(d => d, StringComparer.Ordinal))
                    {
                        // Quarantined temps were already judged; symbolic links to folders could loop.
                        if (Path.GetFileName(sub) != QuarantineFolderName && (File.GetAttributes(sub) & FileAttributes.ReparsePoint) == 0)
                        {
                            pending.Push(sub);
                        }
                    }
                }
            }
        }

        private OrphanedTempFile Describe(string tempPath, string targetPath, TempFileName name)
        {
            var temp = new FileInfo(tempPath);
            var target = new FileInfo(targetPath);
            bool alive = _processExists(name.ProcessId);

            // A writer leaves a plain file; a link under a temp name was planted, and promoting it would put the link
            // in the target's place. It is judged invalid without being read through.
            string? link = NativePlatform.Current.DescribeLink(tempPath);
            ContentVerdict verdict = link != null ? ContentVerdict.Invalid($"it is {link}, not a temp file a writer left") : _validator(tempPath, targetPath);
            return new OrphanedTempFile(targetPath, tempPath, temp.Length, temp.LastWriteTimeUtc, name.ProcessId, alive,
                verdict.IsValid, verdict.Reason, target.Exists, target.Exists ? target.LastWriteTimeUtc : (DateTime?)null, name.RandomPart == null);
        }
    }
}
