using System;
using System.Management.Automation;
using AgentState.Commands.Infrastructure;
using AgentState.Json;
using AgentState.Runs;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Saves an iteration's verification report as verification-&lt;n&gt;.json, kept as given, with passed and the failing checks added when they can be read from it.</para>
    /// </summary>
    [Cmdlet(VerbsData.Save, "AgentRunVerification", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(VerificationRecord))]
    public sealed class SaveAgentRunVerificationCommand : PSCmdlet
    {
        /// <summary>The run.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RunIdCompleter))]
        public string RunId { get; set; } = string.Empty;

        /// <summary>The iteration: 1, 2, 3 ...</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        public int Iteration { get; set; }

        /// <summary>The verifier's report: a hashtable, an object (ConvertFrom-Json's), or JSON text.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [AllowNull]
        public PSObject? Report { get; set; }

        /// <summary>Passed or failed, overriding what the report says.</summary>
        [Parameter]
        [EmptyAsAbsent]
        public bool? Passed { get; set; }

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

            object? report;
            try
            {
                report = Report?.BaseObject is string text ? JsonTreeReader.Read(text).Root : PSJsonConverter.FromPowerShell(Report, "$");
            }
            catch (JsonTreeException ex)
            {
                WriteError(PSJsonConverter.ErrorFor(ex, RunId));
                return;
            }

            if (!ShouldProcess($"{RunId} iteration {Iteration}", "Save verification report"))
            {
                return;
            }

            try
            {
                WriteObject(OutputObjects.Verification(store.SaveVerification(RunId, Iteration, report, Passed)));
            }
            catch (Exception ex) when (EngineErrors.For(ex, RunId) is ErrorRecord error)
            {
                WriteError(error);
            }
        }
    }
}
