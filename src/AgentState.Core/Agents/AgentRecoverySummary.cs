using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AgentState.Agents
{
    /// <summary>What a restart finds in a store: counts by status and type, corrupt files, the oldest incomplete agent.</summary>
    public sealed class AgentRecoverySummary
    {
        internal AgentRecoverySummary(string root, int total, int incomplete, IReadOnlyDictionary<string, int> byStatus, IReadOnlyDictionary<string, int> incompleteByStatus,
            IReadOnlyDictionary<string, int> incompleteByType, string[] corruptFiles, AgentStateRecord? oldestIncomplete)
        {
            Root = root;
            Total = total;
            Incomplete = incomplete;
            ByStatus = byStatus;
            IncompleteByStatus = incompleteByStatus;
            IncompleteByType = incompleteByType;
            CorruptFiles = corruptFiles;
            OldestIncomplete = oldestIncomplete;
        }

        /// <summary>The store's root.</summary>
        public string Root { get; }

        /// <summary>Readable state files.</summary>
        public int Total { get; }

        /// <summary>Agents pending, spawning or running.</summary>
        public int Incomplete { get; }

        // The counts are keyed by what files hold; the cmdlets emit them as objects (ByStatus.running), the CLI as JSON.

        /// <summary>Every readable agent, by status as written.</summary>
        internal IReadOnlyDictionary<string, int> ByStatus { get; }

        /// <summary>Incomplete agents by status.</summary>
        internal IReadOnlyDictionary<string, int> IncompleteByStatus { get; }

        /// <summary>Incomplete agents by agent_type.</summary>
        internal IReadOnlyDictionary<string, int> IncompleteByType { get; }

        /// <summary>How many state files could not be read.</summary>
        public int Corrupt => CorruptFiles.Length;

        /// <summary>The state files that could not be read.</summary>
        public string[] CorruptFiles { get; }

        /// <summary>The incomplete agent that started (or was created) first; null when there is none.</summary>
        public AgentStateRecord? OldestIncomplete { get; }

        /// <summary>Counts the store's files, reading one at a time.</summary>
        public static AgentRecoverySummary Collect(AgentStateStore store)
        {
            int total = 0, incomplete = 0;
            var byStatus = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var incompleteByStatus = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var incompleteByType = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var corrupt = new List<string>();
            AgentStateRecord? oldest = null;
            foreach (AgentStateEntry entry in store.Scan(sorted: false))
            {
                if (entry.Record is not AgentStateRecord record)
                {
                    corrupt.Add(entry.Path);
                    continue;
                }

                total++;
                Count(byStatus, record.StatusText ?? "(none)");
                if (record.IsIncomplete)
                {
                    incomplete++;
                    Count(incompleteByStatus, record.StatusText!);
                    Count(incompleteByType, record.Type ?? "(none)");
                    // The folder is read in its own order, so ties go to the smaller id, for the same answer every time.
                    if (oldest == null || Began(record) < Began(oldest) || (Began(record) == Began(oldest) && string.CompareOrdinal(record.AgentId, oldest.AgentId) < 0))
                    {
                        oldest = record;
                    }
                }
            }

            corrupt.Sort(StringComparer.Ordinal);
            return new AgentRecoverySummary(store.Root, total, incomplete, byStatus, incompleteByStatus, incompleteByType, corrupt.ToArray(), oldest);
        }

        /// <summary>The report, in the shape of the seed's RECOVERY CHECK.</summary>
        public string ToReport()
        {
            string rule = new string('=', 60);
            var text = new StringBuilder();
            text.AppendLine(rule).AppendLine("AGENT COORDINATOR RECOVERY CHECK").AppendLine(rule).AppendLine();
            text.AppendLine("Store: " + Root);
            text.AppendLine(string.Format(CultureInfo.InvariantCulture, "Total Agents: {0}", Total));
            text.AppendLine(string.Format(CultureInfo.InvariantCulture, "Total Incomplete Agents: {0}", Incomplete)).AppendLine();
            if (Incomplete > 0)
            {
                text.AppendLine("By Status:");
                foreach (KeyValuePair<string, int> pair in IncompleteByStatus)
                {
                    text.AppendLine($"  - {pair.Key}: {pair.Value}");
                }

                text.AppendLine().AppendLine("By Type:");
                foreach (KeyValuePair<string, int> pair in IncompleteByType)
                {
                    text.AppendLine($"  - {pair.Key}: {pair.Value}");
                }

                text.AppendLine();
                AgentStateRecord oldest = OldestIncomplete!;
                DateTimeOffset? began = Began(oldest);
                text.AppendLine($"Oldest Incomplete: {oldest.AgentId} ({oldest.StatusText}" + (began == null ? ")" : ", since " + AgentStateRecord.FormatTime(began.Value) + ")"));
                text.AppendLine();
            }

            if (Corrupt > 0)
            {
                text.AppendLine(string.Format(CultureInfo.InvariantCulture, "Corrupt State Files: {0}", Corrupt));
                foreach (string path in CorruptFiles)
                {
                    text.AppendLine("  - " + path);
                }

                text.AppendLine();
            }

            text.AppendLine(rule).AppendLine("RECOVERY ACTIONS:").AppendLine(rule);
            text.AppendLine("1. Review incomplete agents: Get-IncompleteAgent (agentstate recover list)");
            text.AppendLine("2. Resume or finish each: Set-AgentState -AgentId <id> -Status running|failed|cancelled");
            text.AppendLine("3. Clear states if needed: Remove-AgentState -Status pending,spawning,running (agentstate recover clear --yes)");
            if (Corrupt > 0)
            {
                text.AppendLine("4. Inspect corrupt files, then remove them: Remove-AgentState -Path <file>");
            }

            text.Append(rule);
            return text.ToString();
        }

        /// <inheritdoc />
        public override string ToString() => ToReport();

        internal static DateTimeOffset? Began(AgentStateRecord record) => record.StartedAt ?? record.CreatedAt ?? record.LastUpdated;

        private static void Count(SortedDictionary<string, int> counts, string key) => counts[key] = counts.TryGetValue(key, out int n) ? n + 1 : 1;
    }
}
