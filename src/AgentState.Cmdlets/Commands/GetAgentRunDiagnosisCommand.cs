using System;
using System.Management.Automation;
using AgentState.Commands.Infrastructure;
using AgentState.Runs;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Diagnoses a run from its files: what failed, why (the message, the last lines of stderr, the failing checks), where the details are, and the commands to investigate.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AgentRunDiagnosis")]
    [OutputType(typeof(RunDiagnosis))]
    public sealed class GetAgentRunDiagnosisCommand : PSCmdlet
    {
        /// <summary>The run.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RunIdCompleter))]
        public string RunId { get; set; } = string.Empty;

        /// <summary>The iteration to diagnose; the last by default.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(0, int.MaxValue)]
        public int Iteration { get; set; }

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

            try
            {
                WriteObject(store.Diagnose(RunId, Iteration == 0 ? (int?)null : Iteration));
            }
            catch (Exception ex) when (EngineErrors.For(ex, RunId) is ErrorRecord error)
            {
                WriteError(error);
            }
        }
    }
}
