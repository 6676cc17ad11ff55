using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AgentState.Commands.Infrastructure;
using AgentState.History;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Rebuilds a long run's agent-history.json from the *-SUMMARY.md files its completed plans left.</para>
    /// <para type="description">For unrecoverable state: one entry per completed plan with all of its front matter, newest max_entries kept, written atomically. A valid history is kept unless -Force.</para>
    /// </summary>
    [Cmdlet(VerbsData.Initialize, "StateFromSummary", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [Alias("Rebuild-StateFromSummary")]
    [OutputType(typeof(HistoryRebuildResult), typeof(FileInfo))]
    public sealed class InitializeStateFromSummaryCommand : PSCmdlet
    {
        /// <summary>The run's state folder; ./.long-run by default.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = ".long-run";

        /// <summary>Summary files to use instead of the ones found; wildcards allowed.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? SummaryPath { get; set; }

        /// <summary>How many of the newest entries to keep.</summary>
        [Parameter]
        [ValidateRange(1, 100000)]
        public int MaxEntries { get; set; } = HistoryRebuilder.DefaultMaxEntries;

        /// <summary>Replace a history that exists and is valid.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit the history file (a FileInfo) instead of the rebuild's result: one type of object either way.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string? folder = new ProviderPathResolver(this).ResolveFolder(Path);
            if (folder == null)
            {
                return;
            }

            List<string>? summaries = SummaryPath == null ? null : ResolveSummaries();
            if (summaries != null && summaries.Count == 0)
            {
                return;
            }

            var rebuilder = new HistoryRebuilder();
            HistoryRebuildResult plan;
            try
            {
                plan = rebuilder.Rebuild(folder, summaries, MaxEntries, Force, dryRun: true);
                Warn(plan); // Before ShouldProcess: -WhatIf shows the same warnings as the real run.
                if (plan.Action == HistoryRebuildAction.KeptValid)
                {
                    WriteWarning($"'{plan.HistoryPath}' exists and is valid, so it was kept: this rebuild is for unrecoverable state. Use -Force to replace it with {plan.Entries.Count} entries from {plan.CompletedPlans} summaries.");
                    Emit(plan);
                    return;
                }

                string action = $"Write {plan.Entries.Count} entries (last plan {plan.LastPlan ?? "none"}) rebuilt from {plan.CompletedPlans} summaries";
                if (!ShouldProcess(plan.HistoryPath, action))
                {
                    WriteVerbose("The history that would be written:\n" + System.Text.Encoding.UTF8.GetString(plan.Document));
                    return;
                }

                Emit(rebuilder.Commit(plan));
            }
            catch (Exception ex) when (EngineErrors.For(ex, ex is DirectoryNotFoundException ? folder : System.IO.Path.Combine(folder, HistoryRebuilder.HistoryFileName)) is ErrorRecord error)
            {
                WriteError(error);
            }
        }

        /// <summary>One kind of object per call: the result, or with -PassThru the history file as Get-Item emits it.</summary>
        private void Emit(HistoryRebuildResult result)
        {
            if (PassThru)
            {
                FileSystemItems.Write(this, result.HistoryPath);
            }
            else
            {
                WriteObject(OutputObjects.History(result));
            }
        }

        private void Warn(HistoryRebuildResult result)
        {
            foreach (SummaryWarning warning in result.Warnings)
            {
                WriteWarning(warning.ToString());
            }
        }

        private List<string> ResolveSummaries()
        {
            var resolver = new ProviderPathResolver(this);
            var files = new List<string>();
            foreach (string path in SummaryPath!)
            {
                files.AddRange(resolver.Resolve(path, literal: false).Where(File.Exists));
            }

            return files.Distinct(StringComparer.Ordinal).ToList();
        }
    }
}
