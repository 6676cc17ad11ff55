using System.Management.Automation;
using AgentState.Agents;
using AgentState.Commands.Infrastructure;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Summarises a store for a restart: totals, incomplete agents by status and type, corrupt files, the oldest incomplete agent.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AgentRecoverySummary")]
    [OutputType(typeof(AgentRecoverySummary))]
    public sealed class GetAgentRecoverySummaryCommand : PSCmdlet
    {
        /// <summary>The store's folder (it holds state/): $env:AGENTSTATE_ROOT, else ./agent-deployment.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public string? Root { get; set; }

        /// <summary>The store: a folder, or a PostgreSQL connection string or URI; $env:AGENTSTATE_STORE by default. -Root is its folder form.</summary>
        [Parameter]
        [EmptyAsAbsent]
        public string? Store { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            IAgentStateStore? store = AgentStoreResolver.Open(this, Root, Store);
            if (store == null)
            {
                return;
            }

            AgentRecoverySummary summary = store.Summarize();
            foreach (string corrupt in summary.CorruptFiles)
            {
                WriteWarning($"Corrupt agent state file: '{corrupt}'. Inspect it; Remove-AgentState -Path removes it.");
            }

            WriteObject(OutputObjects.RecoverySummary(summary));
        }
    }
}
