using System;
using System.Management.Automation;
using AgentState.Commands.Infrastructure;
using AgentState.Json;
using AgentState.Runs;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates a run: &lt;root&gt;/&lt;runId&gt;/run.json in seed 001's form, and the run:start event.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "AgentRun", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(RunRecord))]
    public sealed class NewAgentRunCommand : PSCmdlet
    {
        /// <summary>The run's id (letters, digits, '.', '_', '-'); a new GUID when absent.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [EmptyAsAbsent]
        public string? RunId { get; set; }

        /// <summary>workOrderId.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public string? WorkOrderId { get; set; }

        /// <summary>sessionId.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public string? SessionId { get; set; }

        /// <summary>The first state: Queued (the default) or Running.</summary>
        [Parameter]
        [ValidateSet("Queued", "Running")]
        public RunState State { get; set; } = RunState.Queued;

        /// <summary>metadata: a hashtable, [ordered], an object, or JSON object text.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public PSObject? Metadata { get; set; }

        /// <summary>The runs folder: $env:AGENTSTATE_RUNS, else ./.agentstate/runs.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public string? Root { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            RunStore? store = RunStoreResolver.Open(this, Root, create: true);
            if (store == null)
            {
                return;
            }

            var draft = new RunDraft { Id = RunId ?? Guid.NewGuid().ToString("D"), WorkOrderId = WorkOrderId, SessionId = SessionId, State = State };
            try
            {
                draft.Metadata = PSJsonConverter.ObjectFromPowerShell(Metadata, "$." + RunFields.Metadata);
            }
            catch (JsonTreeException ex)
            {
                WriteError(PSJsonConverter.ErrorFor(ex, draft.Id));
                return;
            }

            if (!ShouldProcess(draft.Id, $"Create run in '{store.Root}'"))
            {
                return;
            }

            try
            {
                WriteObject(OutputObjects.Run(store.Create(draft)));
            }
            catch (Exception ex) when (EngineErrors.For(ex, draft.Id!) is ErrorRecord error)
            {
                WriteError(error);
            }
        }
    }
}
