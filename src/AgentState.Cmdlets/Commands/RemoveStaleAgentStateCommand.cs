using System;
using System.Management.Automation;
using AgentState.Agents;
using AgentState.Commands.Infrastructure;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Removes completed, failed and cancelled agents' states that finished longer ago than -KeepDays (or -OlderThan). Never an incomplete agent's.</para>
    /// <para type="description">Safe in a scheduled task: it does not prompt by default, re-checks each agent under its lock before removing it, reports corrupt files without touching them, and emits what it removed.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "StaleAgentState", DefaultParameterSetName = DaysSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AgentStateRecord))]
    public sealed class RemoveStaleAgentStateCommand : PSCmdlet
    {
        private const string DaysSet = "KeepDays";
        private const string AgeSet = "OlderThan";
        private const int ProgressThreshold = 1000;

        /// <summary>The store's folder (it holds state/): $env:AGENTSTATE_ROOT, else ./agent-deployment.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public string? Root { get; set; }

        /// <summary>The store: a folder, or a PostgreSQL connection string or URI; $env:AGENTSTATE_STORE by default. -Root is its folder form.</summary>
        [Parameter]
        [EmptyAsAbsent]
        public string? Store { get; set; }

        /// <summary>Keep finished agents for this many days; 7 by default.</summary>
        [Parameter(ParameterSetName = DaysSet)]
        [ValidateRange(0.0, 36500.0)]
        public double KeepDays { get; set; } = 7;

        /// <summary>Remove finished agents that finished longer ago than this: seconds, or a time span.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AgeSet)]
        [SecondsToTimeSpan]
        public TimeSpan OlderThan { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            IAgentStateStore? store = AgentStoreResolver.Open(this, Root, Store);
            if (store == null)
            {
                return;
            }
            TimeSpan age = ParameterSetName == AgeSet ? OlderThan : TimeSpan.FromDays(KeepDays);
            DateTimeOffset cutoff = store.Now - age;
            // A folder is read file by file, with progress; a database is asked for the finished agents alone.
            var folder = store as AgentStateStore;
            int total = folder?.CountFiles() ?? 0;
            var progress = new ProgressRecord(1, "Removing stale agent states", $"Scanning {total} state files in '{folder?.StateFolder}'");
            int scanned = 0;
            foreach (AgentStateEntry entry in folder != null ? folder.Scan() : store.FindFinishedBefore(age))
            {
                if (total >= ProgressThreshold && ++scanned % 250 == 0)
                {
                    progress.PercentComplete = Math.Min(100, scanned * 100 / total);
                    WriteProgress(progress);
                }

                if (entry.Record is not AgentStateRecord record)
                {
                    AgentStoreResolver.ReportCorrupt(this, entry);
                    continue;
                }

                if (!AgentStateQueries.IsFinishedBefore(record, cutoff)
                    || !ShouldProcess(record.AgentId, $"Remove {record.StatusText} agent state, finished {AgentStateRecord.FormatTime(record.FinishedAt!.Value)}"))
                {
                    continue;
                }

                try
                {
                    if (store.Remove(record.AgentId, current => AgentStateQueries.IsFinishedBefore(current, cutoff)))
                    {
                        WriteObject(OutputObjects.Record(record));
                    }
                }
                catch (Exception ex) when (EngineErrors.For(ex, record.AgentId) is ErrorRecord error)
                {
                    WriteError(error);
                }
            }

            if (total >= ProgressThreshold)
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }
        }
    }
}
