using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AgentState.Commands.Infrastructure;
using AgentState.Runs;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets runs: by id (wildcards), state, result, and time of the last change.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AgentRun")]
    [OutputType(typeof(RunRecord))]
    public sealed class GetAgentRunCommand : PSCmdlet
    {
        /// <summary>Run ids; wildcards allowed. All by default.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [Alias("Id")]
        [ArgumentCompleter(typeof(RunIdCompleter))]
        public string[]? RunId { get; set; }

        /// <summary>Only runs in these states (Queued, Running, Succeeded, Failed, Cancelled, Interrupted).</summary>
        [Parameter]
        [ValidateSet("Queued", "Running", "Succeeded", "Failed", "Cancelled", "Interrupted", IgnoreCase = true)]
        public string[]? State { get; set; }

        /// <summary>Only runs with these results (passed, failed_build ...).</summary>
        [Parameter]
        public string[]? Result { get; set; }

        /// <summary>Only runs changed at or after this time.</summary>
        [Parameter]
        public DateTime? Since { get; set; }

        /// <summary>The runs folder: $env:AGENTSTATE_RUNS, else ./.agentstate/runs.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public string? Root { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            RunStore? store = RunStoreResolver.Open(this, Root);
            if (store == null)
            {
                return;
            }

            var query = new RunQuery
            {
                Ids = RunId?.ToList() ?? new List<string>(),
                States = State?.ToList() ?? new List<string>(),
                Results = Result?.ToList() ?? new List<string>(),
                Since = Since is DateTime since ? Text.IsoTimestamp.ToOffset(since) : (DateTimeOffset?)null,
            };
            try
            {
                // A name without wildcards names one run: its absence is an error, as a missing file's is.
                foreach (string literal in query.Ids.Where(id => !WildcardPattern.ContainsWildcardCharacters(id)))
                {
                    if (store.TryGet(literal) == null)
                    {
                        WriteError(EngineErrors.For(new RunNotFoundException(literal, store.PathFor(literal, RunFiles.Run)), literal)!);
                    }
                }

                foreach (RunEntry entry in store.Scan(query))
                {
                    if (entry.Record is RunRecord run)
                    {
                        WriteObject(OutputObjects.Run(run));
                    }
                    else
                    {
                        WriteError(EngineErrors.For(entry.Corruption!, entry.Corruption!.Path)!);
                    }
                }
            }
            catch (Exception ex) when (EngineErrors.For(ex, store.Root) is ErrorRecord error)
            {
                WriteError(error);
            }
        }
    }
}
