using System;
using System.Collections;
using System.Management.Automation;
using AgentState.Agents;
using AgentState.Commands.Infrastructure;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Changes an agent's state (status, progress, message, error, pid, metadata) under its lock.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "AgentState", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(AgentStateRecord))]
    public sealed class SetAgentStateCommand : PSCmdlet
    {
        /// <summary>The agent's id: piped as a string, or from a piped record's AgentId.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(AgentIdCompleter))]
        public string AgentId { get; set; } = string.Empty;

        /// <summary>The new status. Completed, Failed and Cancelled stamp their times; Running stamps started_at once.</summary>
        [Parameter]
        public AgentStatus? Status { get; set; }

        /// <summary>Progress, 0 to 100.</summary>
        [Parameter]
        [ValidateRange(0.0, 100.0)]
        public double? Progress { get; set; }

        /// <summary>progress_message.</summary>
        [Parameter]
        public string? Message { get; set; }

        /// <summary>error (usually with -Status Failed).</summary>
        [Parameter]
        public string? ErrorMessage { get; set; }

        /// <summary>The agent's process id.</summary>
        [Parameter]
        public int? ProcessId { get; set; }

        /// <summary>Keys to add to metadata or replace in it; other keys are kept.</summary>
        [Parameter]
        public Hashtable? Metadata { get; set; }

        /// <summary>The store's folder; piped records bring their own.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Root { get; set; }

        /// <summary>Allow a completed, failed or cancelled agent to change status.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit the changed record.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            AgentStateStore? store = AgentStoreResolver.Open(this, Root);
            if (store == null)
            {
                return;
            }
            if (!ShouldProcess(AgentId, "Update agent state"))
            {
                return;
            }

            var change = new AgentStateChange
            {
                Status = Status,
                Progress = Progress,
                Message = Message,
                ErrorMessage = ErrorMessage,
                ProcessId = ProcessId,
                Metadata = Metadata,
                Force = Force,
            };
            try
            {
                AgentStateRecord record = store.Update(AgentId, change);
                if (PassThru)
                {
                    WriteObject(record);
                }
            }
            catch (Exception ex) when (EngineErrors.For(ex, AgentId) is ErrorRecord error)
            {
                WriteError(error);
            }
        }
    }
}
