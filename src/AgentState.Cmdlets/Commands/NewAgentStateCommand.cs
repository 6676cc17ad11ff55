using System;
using System.Management.Automation;
using AgentState.Agents;
using AgentState.Commands.Infrastructure;
using AgentState.Json;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Records a new agent: writes &lt;root&gt;/state/&lt;agent_id&gt;.json atomically and durably.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "AgentState", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(AgentStateRecord))]
    public sealed class NewAgentStateCommand : PSCmdlet
    {
        /// <summary>The agent's id: letters, digits, '.', '_', '-'.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("agent_id")]
        public string AgentId { get; set; } = string.Empty;

        /// <summary>agent_name.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("agent_name")]
        public string Name { get; set; } = string.Empty;

        /// <summary>agent_type (L1, L2...).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("agent_type")]
        public string Type { get; set; } = string.Empty;

        /// <summary>parent_agent_id.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("parent_agent_id")]
        [EmptyAsAbsent]
        public string? ParentId { get; set; }

        /// <summary>model.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public string? Model { get; set; }

        /// <summary>prompt.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public string? Prompt { get; set; }

        /// <summary>The first status; Pending by default.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public AgentStatus? Status { get; set; }

        /// <summary>The agent's process id (1 or more); its start time and host are recorded with it when it runs here.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("pid")]
        [EmptyAsAbsent]
        public int? ProcessId { get; set; }

        /// <summary>load_percentage.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("load_percentage")]
        [EmptyAsAbsent]
        public double? LoadPercentage { get; set; }

        /// <summary>estimated_duration: seconds, or a time span.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("estimated_duration")]
        [SecondsToTimeSpan]
        public TimeSpan? EstimatedDuration { get; set; }

        /// <summary>metadata: a hashtable, [ordered], an object (ConvertFrom-Json's), or JSON object text (a CSV cell).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public PSObject? Metadata { get; set; }

        /// <summary>The store's folder (it holds state/): $env:AGENTSTATE_ROOT, else ./agent-deployment.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public string? Root { get; set; }

        /// <summary>The store: a folder, or a PostgreSQL connection string or URI; $env:AGENTSTATE_STORE by default. -Root is its folder form.</summary>
        [Parameter]
        [EmptyAsAbsent]
        public string? Store { get; set; }

        /// <summary>Overwrite an existing state file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit the new record.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            IAgentStateStore? store = AgentStoreResolver.Open(this, Root, Store, create: true);
            if (store == null)
            {
                return;
            }

            var draft = new AgentStateDraft(AgentId, Name, Type)
            {
                ParentId = ParentId,
                Model = Model,
                Prompt = Prompt,
                Status = Status ?? AgentStatus.Pending,
                ProcessId = ProcessId,
                LoadPercentage = LoadPercentage,
                EstimatedDuration = EstimatedDuration?.TotalSeconds,
            };
            try
            {
                draft.Metadata = PSJsonConverter.ObjectFromPowerShell(Metadata, "$." + AgentStateFields.Metadata);
            }
            catch (JsonTreeException ex)
            {
                WriteError(PSJsonConverter.ErrorFor(ex, AgentId));
                return;
            }

            if (!ShouldProcess(AgentId, $"Create agent state in '{(store is AgentStateStore folder ? folder.StateFolder : store.Location)}'"))
            {
                return;
            }

            try
            {
                AgentStateRecord record = store.Create(draft, Force);
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
