using System;
using System.Management.Automation;
using AgentState.Commands.Infrastructure;
using AgentState.Runs;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Completes a run: its final state, result and typed error in run.json, then the run:complete event.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Complete, "AgentRun", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(RunRecord))]
    public sealed class CompleteAgentRunCommand : PSCmdlet
    {
        /// <summary>The run.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RunIdCompleter))]
        public string RunId { get; set; } = string.Empty;

        /// <summary>Succeeded, Failed or Cancelled; by default Failed with an error, else Succeeded.</summary>
        [Parameter]
        [ValidateSet("Succeeded", "Failed", "Cancelled")]
        [EmptyAsAbsent]
        public RunState? State { get; set; }

        /// <summary>The result; by default the seed's: passed, failed_build, failed_verification, failed_timeout, canceled or failed_error.</summary>
        [Parameter]
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

        /// <summary>The exit code of the process that failed.</summary>
        [Parameter]
        [EmptyAsAbsent]
        public int? ExitCode { get; set; }

        /// <summary>The signal that ended it.</summary>
        [Parameter]
        [EmptyAsAbsent]
        public int? Signal { get; set; }

        /// <summary>Complete a run that has finished already.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit the completed run.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>The runs folder: $env:AGENTSTATE_RUNS, else ./.agentstate/runs.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public string? Root { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            RunStore? store = RunStoreResolver.Open(this, Root);
            if (store == null || !ShouldProcess(RunId, "Complete run"))
            {
                return;
            }

            var completion = new RunCompletion
            {
                State = State,
                Result = Result,
                Error = RunStoreResolver.Error(ErrorType, ErrorMessage, ErrorFile, ExitCode, Signal),
                Force = Force,
            };
            try
            {
                RunRecord run = store.Complete(RunId, completion);
                if (PassThru)
                {
                    WriteObject(OutputObjects.Run(run));
                }
            }
            catch (Exception ex) when (EngineErrors.For(ex, RunId) is ErrorRecord error)
            {
                WriteError(error);
            }
        }
    }
}
