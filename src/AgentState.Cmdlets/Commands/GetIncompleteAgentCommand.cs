using System;
using System.Management.Automation;
using AgentState.Agents;
using AgentState.Commands.Infrastructure;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets the agents a crash or shutdown left pending, spawning or running, with whether their process still runs and whether they are stale.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "IncompleteAgent")]
    [OutputType(typeof(IncompleteAgent))]
    public sealed class GetIncompleteAgentCommand : PSCmdlet
    {
        /// <summary>The store's folder (it holds state/): $env:AGENTSTATE_ROOT, else ./agent-deployment.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public string? Root { get; set; }

        /// <summary>The store: a folder, or a PostgreSQL connection string or URI; $env:AGENTSTATE_STORE by default. -Root is its folder form.</summary>
        [Parameter]
        [EmptyAsAbsent]
        public string? Store { get; set; }

        /// <summary>An agent whose last_updated is older than this is Stale: seconds, or a time span.</summary>
        [Parameter]
        [SecondsToTimeSpan]
        public TimeSpan? StaleAfter { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            IAgentStateStore? store = AgentStoreResolver.Open(this, Root, Store);
            if (store == null)
            {
                return;
            }
            foreach (var (agent, entry) in store.FindIncomplete(StaleAfter))
            {
                if (agent != null)
                {
                    WriteObject(OutputObjects.Incomplete(agent));
                }
                else
                {
                    AgentStoreResolver.ReportCorrupt(this, entry);
                }
            }
        }
    }
}
