using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AgentState.IO;
using AgentState.Json;

namespace AgentState.History
{
    /// <summary>
    /// Rebuilds a long run's <c>agent-history.json</c> from the <c>*-SUMMARY.md</c> files its completed plans left,
    /// for when the state files are unrecoverable: one entry per completed plan, with everything its front matter
    /// says, ordered by completion, the newest <c>max_entries</c> kept, written with the durable atomic replace.
    /// A valid history is kept unless the caller forces the rebuild.
    /// </summary>
    public sealed class HistoryRebuilder
    {
        /// <summary>The history file's name in the state folder.</summary>
        public const string HistoryFileName = "agent-history.json";

        /// <summary>The default number of entries kept.</summary>
        public const int DefaultMaxEntries = 50;

        private readonly AtomicFileWriter _writer;

        /// <summary>A rebuilder over the real file system.</summary>
        public HistoryRebuilder()
            : this(new AtomicFileWriter())
        {
        }

        /// <summary>A rebuilder that writes through <paramref name="writer"/>.</summary>
        public HistoryRebuilder(AtomicFileWriter writer)
        {
            _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        }

        /// <summary>
        /// The summaries a state folder's run left: <c>&lt;folder&gt;/summaries/*-SUMMARY.md</c>, and for the phase layout
        /// <c>.planning/phases/*/*-SUMMARY.md</c> in the folder or beside it.
        /// </summary>
        public static IReadOnlyList<string> FindSummaries(string stateFolder)
        {
            string folder = Path.GetFullPath(stateFolder);
            var found = new List<string>();
            string summaries = Path.Combine(folder, "summaries");
            if (Directory.Exists(summaries))
            {
                found.AddRange(Directory.EnumerateFiles(summaries, "*" + SummaryFileName.Suffix));
            }

            foreach (string planning in new[] { Path.Combine(folder, ".planning", "phases"), Path.Combine(Path.GetDirectoryName(folder) ?? folder, ".planning", "phases") })
            {
                if (Directory.Exists(planning))
                {
                    foreach (string phase in Directory.EnumerateDirectories(planning))
                    {
                        found.AddRange(Directory.EnumerateFiles(phase, "*" + SummaryFileName.Suffix));
                    }
                }
            }

            return found.Where(SummaryFileName.IsSummary).Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal).ToList();
        }

        /// <summary>Rebuilds (or, with <paramref name="dryRun"/>, computes) the history of <paramref name="stateFolder"/>.</summary>
        /// <param name="stateFolder">The run's state folder (.long-run); the history is written there.</param>
        /// <param name="summaries">The summary files to use; null to find them with <see cref="FindSummaries"/>.</param>
        /// <param name="maxEntries">How many of the newest entries to keep.</param>
        /// <param name="force">Replace a history that exists and is valid.</param>
        /// <param name="dryRun">Write nothing.</param>
        /// <exception cref="DirectoryNotFoundException">The state folder does not exist; nothing is created.</exception>
        /// <exception cref="SummariesNotFoundException">There is no summary to rebuild from; nothing is written.</exception>
        /// <exception cref="AtomicWriteException">The write failed; the old history is unchanged.</exception>
        public HistoryRebuildResult Rebuild(string stateFolder, IEnumerable<string>? summaries = null, int maxEntries = DefaultMaxEntries, bool force = false, bool dryRun = false)
        {
            if (maxEntries < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(maxEntries), maxEntries, "At least one entry must be kept.");
            }

            string folder = Path.GetFullPath(stateFolder);
            if (!Directory.Exists(folder))
            {
                throw new DirectoryNotFoundException($"Cannot rebuild the history of '{folder}': the folder does not exist. Nothing was written.");
            }

            IReadOnlyList<string> files = summaries?.ToList() ?? FindSummaries(folder);
            if (files.Count == 0)
            {
                throw new SummariesNotFoundException(folder);
            }

            string historyPath = Path.Combine(folder, HistoryFileName);
            var warnings = new List<SummaryWarning>();
            List<Summary> plans = Collect(folder, files, warnings);
            List<OrderedJsonObject> entries = plans.Skip(Math.Max(0, plans.Count - maxEntries)).Select(p => p.Entry).ToList();
            if (plans.Count > entries.Count)
            {
                warnings.Add(new SummaryWarning(historyPath, null, $"{plans.Count - entries.Count} older plan(s) left out: max_entries is {maxEntries}"));
            }

            byte[] document = JsonTreeWriter.Write(new OrderedJsonObject
            {
                ["version"] = "1.0",
                ["max_entries"] = (long)maxEntries,
                ["entries"] = entries,
            });

            string? problem = HistoryProblem(historyPath);
            if (problem == null && !force)
            {
                return new HistoryRebuildResult(historyPath, HistoryRebuildAction.KeptValid, plans.Count, entries, warnings, document);
            }

            if (problem != null && problem != "it does not exist")
            {
                warnings.Add(new SummaryWarning(historyPath, null, $"the existing history is invalid ({problem}); it is rebuilt"));
            }

            var plan = new HistoryRebuildResult(historyPath, HistoryRebuildAction.WouldRebuild, plans.Count, entries, warnings, document);
            return dryRun ? plan : Commit(plan);
        }

        /// <summary>
        /// Writes what a dry run computed, so that a caller who asks first (ShouldProcess) reads and parses the
        /// summaries once, not twice.
        /// </summary>
        /// <exception cref="InvalidOperationException">The plan is not a dry run's (it kept a valid history, or was written).</exception>
        /// <exception cref="AtomicWriteException">The write failed; the old history is unchanged.</exception>
        public HistoryRebuildResult Commit(HistoryRebuildResult plan)
        {
            if (plan.Action != HistoryRebuildAction.WouldRebuild)
            {
                throw new InvalidOperationException($"Only a dry run's plan can be written; this one is {plan.Action}.");
            }

            _writer.Write(plan.HistoryPath, plan.Document, new AtomicWriteOptions { CreateDirectories = true });
            return new HistoryRebuildResult(plan.HistoryPath, HistoryRebuildAction.Rebuilt, plan.CompletedPlans, plan.Entries, plan.Warnings, plan.Document);
        }

        /// <summary>Null when the history exists and is a JSON object with an entries array; else what is wrong.</summary>
        private static string? HistoryProblem(string historyPath)
        {
            if (!File.Exists(historyPath))
            {
                return "it does not exist";
            }

            try
            {
                JsonTree tree = JsonTreeReader.Read(File.ReadAllBytes(historyPath));
                return tree.Root is OrderedJsonObject obj && obj.ContainsKey("entries") && obj["entries"] is List<object?>
                    ? null
                    : "it has no entries array";
            }
            catch (JsonTreeException ex)
            {
                return ex.Message.TrimEnd('.');
            }
            catch (IOException ex)
            {
                return "it cannot be read: " + ex.Message;
            }
        }

        private static List<Summary> Collect(string folder, IEnumerable<string> files, List<SummaryWarning> warnings)
        {
            var byPlan = new Dictionary<string, Summary>(StringComparer.Ordinal);
            foreach (string file in files)
            {
                Summary summary = Read(folder, file, warnings);
                if (byPlan.TryGetValue(summary.PlanId, out Summary? other))
                {
                    Summary kept = summary.CompletedAt > other.CompletedAt ? summary : other;
                    Summary dropped = kept == summary ? other : summary;
                    warnings.Add(new SummaryWarning(dropped.Path, null, $"plan {summary.PlanId} is also summarised in '{kept.Path}', which completed later and is kept"));
                    byPlan[summary.PlanId] = kept;
                }
                else
                {
                    byPlan.Add(summary.PlanId, summary);
                }
            }

            return byPlan.Values.OrderBy(s => s.CompletedAt).ThenBy(s => s.PlanId, StringComparer.Ordinal).ToList();
        }

        private static Summary Read(string folder, string file, List<SummaryWarning> warnings)
        {
            SummaryFileName name = SummaryFileName.Parse(file);
            string text;
            try
            {
                text = new UTF8Encoding(false, true).GetString(File.ReadAllBytes(file));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is DecoderFallbackException)
            {
                warnings.Add(new SummaryWarning(file, null, $"cannot be read ({ex.Message}); the plan is taken from the file name"));
                text = string.Empty;
            }

            FrontMatter front = FrontMatter.Parse(text);
            if (front.Error != null)
            {
                warnings.Add(new SummaryWarning(file, front.ErrorLine, $"malformed front matter: {front.Error}; the plan is taken from the file name"));
            }

            OrderedJsonObject fields = front.Fields ?? new OrderedJsonObject();
            DateTime modified = File.GetLastWriteTimeUtc(file);
            string planId = PlanId(fields, name);
            string completed = Text(fields, "completed") ?? AgentState.Text.IsoTimestamp.Format(modified);
            DateTimeOffset completedAt = DateTimeOffset.TryParse(completed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed)
                ? parsed
                : new DateTimeOffset(modified, TimeSpan.Zero);

            var entry = new OrderedJsonObject
            {
                ["plan"] = planId,
                ["phase"] = Text(fields, "phase") ?? name.Phase,
                ["status"] = "completed",
                ["completed"] = completed,
            };
            if (fields.ContainsKey("duration"))
            {
                entry["duration"] = fields["duration"];
            }

            entry["summary"] = Relative(folder, file);
            foreach (KeyValuePair<string, object?> field in fields)
            {
                if (!entry.ContainsKey(field.Key))
                {
                    entry[field.Key] = field.Value;
                }
            }

            return new Summary(file, planId, completedAt, entry);
        }

        /// <summary>"01-02" from phase "01-foundation" and plan 02, else what the file name says.</summary>
        private static string PlanId(OrderedJsonObject fields, SummaryFileName name)
        {
            string? plan = Text(fields, "plan");
            if (plan == null)
            {
                return name.PlanId;
            }

            if (plan.IndexOf('-') >= 0)
            {
                return plan;
            }

            string phase = Text(fields, "phase") ?? name.Phase ?? string.Empty;
            string phaseNumber = new string(phase.TakeWhile(char.IsDigit).ToArray());
            return phaseNumber.Length > 0 ? phaseNumber + "-" + plan : plan;
        }

        private static string? Text(OrderedJsonObject fields, string key) =>
            fields.ContainsKey(key) && fields[key] is object value ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;

        private static string Relative(string folder, string file)
        {
            Uri from = new Uri(folder.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? folder : folder + Path.DirectorySeparatorChar);
            return Uri.UnescapeDataString(from.MakeRelativeUri(new Uri(file)).ToString());
        }

        private sealed class Summary
        {
            public Summary(string path, string planId, DateTimeOffset completedAt, OrderedJsonObject entry)
            {
                Path = path;
                PlanId = planId;
                CompletedAt = completedAt;
                Entry = entry;
            }

            public string Path { get; }

            public string PlanId { get; }

            public DateTimeOffset CompletedAt { get; }

            public OrderedJsonObject Entry { get; }
        }
    }
}
