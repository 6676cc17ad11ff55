using System;
using System.Collections;
using System.Management.Automation;
using AgentState.Agents;
using AgentState.Commands.Infrastructure;

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
        public string? ParentId { get; set; }

        /// <summary>model.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Model { get; set; }

        /// <summary>prompt.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Prompt { get; set; }

        /// <summary>The first status; Pending by default.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public AgentStatus Status { get; set; } = AgentStatus.Pending;

        /// <summary>The agent's process id; its start time and host are recorded with it when it runs here.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("pid")]
        public int? ProcessId { get; set; }

        /// <summary>load_percentage.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public double? LoadPercentage { get; set; }

        /// <summary>estimated_duration: seconds, or a time span.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SecondsToTimeSpan]
        public TimeSpan? EstimatedDuration { get; set; }

        /// <summary>metadata.</summary>
        [Parameter]
        public Hashtable? Metadata { get; set; }

        /// <summary>The store's folder (it holds state/): $env:AGENTSTATE_ROOT, else ./agent-deployment.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Root { get; set; }

        /// <summary>Overwrite an existing state file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit the new record.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            AgentStateStore? store = AgentStoreResolver.Open(this, Root, create: true);
            if (store == null)
            {
                return;
            }
            if (!ShouldProcess(AgentId, $"Create agent state in '{store.StateFolder}'"))
            {
                return;
            }

            var draft = new AgentStateDraft(AgentId, Name, Type)
            {
                ParentId = ParentId,
                Model = Model,
                Prompt = Prompt,
                Status = Status,
                ProcessId = ProcessId,
                LoadPercentage = LoadPercentage,
                EstimatedDuration = EstimatedDuration?.TotalSeconds,
                Metadata = Metadata,
            };
            try
            {
                AgentStateRecord record = store.Create(draft, Force);
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
