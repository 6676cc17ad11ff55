using System;
using System.Management.Automation;
using AgentState.Agents;
using AgentState.Commands.Infrastructure;
using AgentState.Json;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Changes an agent's state (status, progress, message, error, pid, metadata) under its lock.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "AgentState", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(AgentStateRecord))]
    public sealed class SetAgentStateCommand : PSCmdlet
    {
        /// <summary>The agent's id: piped as a string, or from a piped record's AgentId (or a state file's agent_id).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("agent_id")]
        [ArgumentCompleter(typeof(AgentIdCompleter))]
        public string AgentId { get; set; } = string.Empty;

        /// <summary>The new status. Completed, Failed and Cancelled stamp their times; Running stamps started_at once.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public AgentStatus? Status { get; set; }

        /// <summary>Progress, 0 to 100.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        [ValidateRangeWhenPresent(0.0, 100.0)]
        public double? Progress { get; set; }

        /// <summary>progress_message.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("progress_message")]
        [EmptyAsAbsent]
        public string? Message { get; set; }

        /// <summary>error (usually with -Status Failed).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("error")]
        [EmptyAsAbsent]
        public string? ErrorMessage { get; set; }

        /// <summary>The agent's process id (1 or more).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("pid")]
        [EmptyAsAbsent]
        public int? ProcessId { get; set; }

        /// <summary>Keys to add to metadata or replace in it (a hashtable, [ordered], an object, or JSON object text); other keys are kept.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public PSObject? Metadata { get; set; }

        /// <summary>The store's folder; piped records bring their own.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public string? Root { get; set; }

        /// <summary>The store: a folder, or a PostgreSQL connection string or URI; $env:AGENTSTATE_STORE by default. -Root is its folder form.</summary>
        [Parameter]
        [EmptyAsAbsent]
        public string? Store { get; set; }

        /// <summary>Allow a completed, failed or cancelled agent to change status.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit the changed record.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            IAgentStateStore? store = AgentStoreResolver.Open(this, Root, Store);
            if (store == null)
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
                Force = Force,
            };
            try
            {
                change.Metadata = PSJsonConverter.ObjectFromPowerShell(Metadata, "$." + AgentStateFields.Metadata);
            }
            catch (JsonTreeException ex)
            {
                WriteError(PSJsonConverter.ErrorFor(ex, AgentId));
                return;
            }

            if (!ShouldProcess(AgentId, "Update agent state"))
            {
                return;
            }

            try
            {
                AgentStateRecord record = store.Update(AgentId, change);
                if (PassThru)
                {
                    WriteObject(OutputObjects.Record(record));
                }
            }
            catch (Exception ex) when (EngineErrors.For(ex, AgentId) is ErrorRecord error)
            {
                WriteError(error);
            }
        }
    }
}
