using System;
using System.Collections.Generic;
using AgentState.Json;

namespace AgentState.History
{
    /// <summary>The outcome of rebuilding agent-history.json from summaries.</summary>
    public sealed class HistoryRebuildResult
    {
        internal HistoryRebuildResult(string historyPath, HistoryRebuildAction action, int completedPlans, IReadOnlyList<OrderedJsonObject> entries,
            IReadOnlyList<SummaryWarning> warnings, byte[] document)
        {
            HistoryPath = historyPath;
            Action = action;
            CompletedPlans = completedPlans;
            Entries = entries;
            Warnings = new List<SummaryWarning>(warnings).ToArray(); // An array: Export-Csv and Format-List show arrays plainly.
            Document = document;
        }

        /// <summary>The history file.</summary>
        public string HistoryPath { get; }

        /// <summary>What was done with it.</summary>
        public HistoryRebuildAction Action { get; }

        /// <summary>How many distinct completed plans the summaries name.</summary>
        public int CompletedPlans { get; }

        /// <summary>The entries of the history, oldest first (the newest max_entries of them); the cmdlets emit them as PSCustomObjects.</summary>
        internal IReadOnlyList<OrderedJsonObject> Entries { get; }

        /// <summary>How many entries the history has (or would have).</summary>
        public int EntryCount => Entries.Count;

        /// <summary>How many entries were written: 0 when the history was kept or on a dry run.</summary>
        public int EntriesWritten => Action == HistoryRebuildAction.Rebuilt ? Entries.Count : 0;

        /// <summary>The newest plan's id; null when there are no summaries.</summary>
        public string? LastPlan => Entries.Count == 0 ? null : Entries[Entries.Count - 1]["plan"] as string;

        /// <summary>When the newest plan completed; null when there are no summaries.</summary>
        public DateTimeOffset? LastCompleted => Text.IsoTimestamp.Parse(LastCompletedText);

        /// <summary>The newest plan's completed field as written.</summary>
        internal string? LastCompletedText => Entries.Count == 0 ? null : Entries[Entries.Count - 1]["completed"] as string;

        /// <summary>Problems worked around: malformed front matter, duplicate plans, dropped entries, an invalid old history.</summary>
        public SummaryWarning[] Warnings { get; }

        /// <summary>The history document's bytes, as written or as they would be.</summary>
        internal byte[] Document { get; }
    }
}
