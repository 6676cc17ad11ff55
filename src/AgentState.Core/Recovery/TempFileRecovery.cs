using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using AgentState.IO;
using AgentState.Platform;
using AgentState.Text;

namespace AgentState.Recovery
{
    /// <summary>
    /// Decides and carries out what to do with orphaned temp files, target by target: promote the newest
    /// valid temp that is newer than the target (or any valid one when the target is missing or invalid),
    /// remove the other valid ones, quarantine (or remove) the invalid ones, and never touch the temp of a
    /// writer that still runs. Unlike the seed, it never promotes a temp older than a valid target.
    /// </summary>
    public sealed class TempFileRecovery
    {
        private readonly ContentValidator _validator;
        private readonly AtomicFileWriter _writer;

        /// <summary>Recovery with the default validator over the real file system.</summary>
        public TempFileRecovery(ContentValidator? validator = null)
            : this(validator, new AtomicFileWriter())
        {
        }

        /// <summary>Recovery that promotes through <paramref name="writer"/>.</summary>
        public TempFileRecovery(ContentValidator? validator, AtomicFileWriter writer)
        {
            _validator = validator ?? DefaultContentValidator.Instance;
            _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        }

        /// <summary>The plan for a set of orphans; nothing is changed.</summary>
        public IReadOnlyList<TempRecoveryStep> Plan(IEnumerable<OrphanedTempFile> orphans, bool removeInvalid = false)
        {
            var steps = new List<TempRecoveryStep>();
            foreach (IGrouping<string, OrphanedTempFile> target in orphans.GroupBy(o => o.TargetPath, StringComparer.Ordinal))
            {
                steps.AddRange(PlanTarget(target.Key, target.ToList(), removeInvalid));
            }

            return steps;
        }

        /// <summary>Carries out one planned step and returns it as done (with the quarantine destination).</summary>
        /// <exception cref="AtomicWriteException">A promotion failed; the target is unchanged.</exception>
        /// <exception cref="IOException">Removing or moving the temp failed.</exception>
        public TempRecoveryStep Execute(TempRecoveryStep step)
        {
            switch (step.Action)
            {
                case TempRecoveryAction.Promoted:
                    _writer.Promote(step.TempFile, step.Target);
                    return step;
                case TempRecoveryAction.RemovedStale:
                case TempRecoveryAction.Removed:
                    File.Delete(step.TempFile);
                    return step;
                case TempRecoveryAction.Quarantined:
                    return new TempRecoveryStep(step.Orphan, step.Action, step.Reason, Quarantine(step.TempFile));
                default:
                    return step;
            }
        }

        private IEnumerable<TempRecoveryStep> PlanTarget(string targetPath, List<OrphanedTempFile> orphans, bool removeInvalid)
        {
            var settled = new List<TempRecoveryStep>();
            var candidates = new List<OrphanedTempFile>();
            foreach (OrphanedTempFile orphan in orphans)
            {
                if (orphan.WriterAlive)
                {
                    settled.Add(new TempRecoveryStep(orphan, TempRecoveryAction.SkippedLiveWriter, $"process {orphan.WriterProcessId} that wrote it is still running"));
                }
                else if (!orphan.IsValid)
                {
                    settled.Add(new TempRecoveryStep(orphan, removeInvalid ? TempRecoveryAction.Removed : TempRecoveryAction.Quarantined, "invalid: " + orphan.InvalidReason));
                }
                else
                {
                    candidates.Add(orphan);
                }
            }

            string? targetProblem = TargetProblem(targetPath);
            OrphanedTempFile? chosen = candidates
                .Where(o => targetProblem != null || o.NewerThanTarget)
                .OrderByDescending(o => o.LastWriteTimeUtc)
                .ThenByDescending(o => o.TempPath, StringComparer.Ordinal)
                .FirstOrDefault();

            foreach (OrphanedTempFile orphan in candidates)
            {
                if (orphan == chosen)
                {
                    string why = targetProblem != null
                        ? $"the newest valid temp, and the target {targetProblem}"
                        : $"the newest valid temp, written {DurationText.Describe(orphan.LastWriteTimeUtc - orphan.TargetLastWriteTimeUtc!.Value)} after the target";
                    settled.Add(new TempRecoveryStep(orphan, TempRecoveryAction.Promoted, why));
                }
                else if (chosen != null)
                {
                    settled.Add(new TempRecoveryStep(orphan, TempRecoveryAction.RemovedStale, $"older than the promoted '{Path.GetFileName(chosen.TempPath)}'"));
                }
                else
                {
                    settled.Add(new TempRecoveryStep(orphan, TempRecoveryAction.RemovedStale, "not newer than the valid target: promoting it would roll the file back"));
                }
            }

            // The promotion goes first, so that an interruption leaves the best content in place.
            return settled.OrderBy(s => s.Action == TempRecoveryAction.Promoted ? 0 : 1);
        }

        private string? TargetProblem(string targetPath)
        {
            if (!File.Exists(targetPath))
            {
                return "is missing";
            }

            ContentVerdict verdict = _validator(targetPath, targetPath);
            return verdict.IsValid ? null : "is invalid (" + verdict.Reason + ")";
        }

        private static string Quarantine(string tempPath)
        {
            const string Role = "quarantine folder";
            string folder = Path.Combine(Path.GetDirectoryName(tempPath)!, OrphanedTempScanner.QuarantineFolderName);
            PlainFile.CreateFolder(folder, Role);

            // The move goes into the folder that was checked, by handle: a link swapped in under its name meanwhile
            // cannot send the file out of the tree. A name already taken is never replaced.
            using (PinnedFolder pinned = NativePlatform.Current.OpenPlainFolder(folder, Role))
            {
                string name = Path.GetFileName(tempPath);
                for (int n = 0; n < 10000; n++)
                {
                    string candidate = n == 0 ? name : name + "." + n.ToString(CultureInfo.InvariantCulture);
                    if (pinned.MoveInto(tempPath, candidate))
                    {
                        return Path.Combine(folder, candidate);
                    }
                }
            }

            throw new IOException($"Cannot quarantine '{tempPath}': every name for it in '{folder}' is taken.");
        }
    }
}
