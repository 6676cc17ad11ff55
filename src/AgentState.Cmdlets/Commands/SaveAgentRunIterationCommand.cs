using System;
using System.Management.Automation;
using AgentState.Commands.Infrastructure;
using AgentState.Json;
using AgentState.Runs;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Saves an iteration's metadata as iteration-&lt;n&gt;.json: start and end, harness profile, loop strategy state, result and typed error.</para>
    /// </summary>
    [Cmdlet(VerbsData.Save, "AgentRunIteration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(IterationRecord))]
    public sealed class SaveAgentRunIterationCommand : PSCmdlet
    {
        /// <summary>The run.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RunIdCompleter))]
        public string RunId { get; set; } = string.Empty;

        /// <summary>The iteration: 1, 2, 3 ...</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        public int Iteration { get; set; }

        /// <summary>Record the start only (iteration:start); by default the iteration is recorded complete.</summary>
        [Parameter]
        public SwitchParameter Start { get; set; }

        /// <summary>The harness profile.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public string? HarnessProfile { get; set; }

        /// <summary>The loop strategy's state, kept as given.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public PSObject? LoopStrategy { get; set; }

        /// <summary>The iteration's result (passed, failed_verification ...).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public string? Result { get; set; }

        /// <summary>The typed error's type.</summary>
        [Parameter]
        [EmptyAsAbsent]
        public RunErrorType? ErrorType { get; set; }

        /// <summary>The typed error's message.</summary>
        [Parameter]
        [EmptyAsAbsent]
        public string? ErrorMessage { get; set; }

        /// <summary>The file (in the run folder) that holds the error's details.</summary>
        [Parameter]
        [EmptyAsAbsent]
        public string? ErrorFile { get; set; }

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

            var draft = new IterationDraft(Iteration)
            {
                Complete = !Start,
                HarnessProfile = HarnessProfile,
                Result = Result,
                Error = RunStoreResolver.Error(ErrorType, ErrorMessage, ErrorFile),
            };
            try
            {
                draft.LoopStrategy = PSJsonConverter.FromPowerShell(LoopStrategy, "$.loopStrategy");
            }
            catch (JsonTreeException ex)
            {
                WriteError(PSJsonConverter.ErrorFor(ex, RunId));
                return;
            }

            if (!ShouldProcess($"{RunId} iteration {Iteration}", Start ? "Save iteration start" : "Save iteration"))
            {
                return;
            }

            try
            {
                WriteObject(OutputObjects.Iteration(store.SaveIteration(RunId, draft)));
            }
            catch (Exception ex) when (EngineErrors.For(ex, RunId) is ErrorRecord error)
            {
                WriteError(error);
            }
        }
    }
}
