using System;
using System.Linq;
using System.Management.Automation;
using AgentState.Agents;
using AgentState.Commands.Infrastructure;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets agents' state records from a store, by id (wildcards), status and type.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AgentState")]
    [OutputType(typeof(AgentStateRecord))]
    public sealed class GetAgentStateCommand : PSCmdlet
    {
        /// <summary>Agent ids; wildcards allowed. All agents by default.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("agent_id")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(AgentIdCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? AgentId { get; set; }

        /// <summary>Only agents with one of these statuses.</summary>
        [Parameter]
        public AgentStatus[]? Status { get; set; }

        /// <summary>Only agents of these types (agent_type); wildcards allowed.</summary>
        [Parameter]
        [Alias("agent_type")]
        [SupportsWildcards]
        public string[]? Type { get; set; }

        /// <summary>The store's folder (it holds state/): $env:AGENTSTATE_ROOT, else ./agent-deployment.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
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
            WildcardPattern[]? types = Type?.Select(t => new WildcardPattern(t, WildcardOptions.IgnoreCase)).ToArray();
            if (AgentId == null)
            {
                Emit(store, null, types);
                return;
            }

            foreach (string id in AgentId)
            {
                if (WildcardPattern.ContainsWildcardCharacters(id))
                {
                    var pattern = new WildcardPattern(id, WildcardOptions.IgnoreCase);
                    Emit(store, pattern.IsMatch, types);
                    continue;
                }

                try
                {
                    AgentStateRecord? record = store.TryGet(id);
                    if (record == null)
                    {
                        WriteError(EngineErrors.For(new AgentStateNotFoundException(id, AgentStoreResolver.PlaceOf(store, id)), id));
                    }
                    else if (Matches(record, types))
                    {
                        WriteObject(OutputObjects.Record(record));
                    }
                }
                catch (Exception ex) when (EngineErrors.For(ex, id) is ErrorRecord error)
                {
                    WriteError(error);
                }
            }
        }

        private void Emit(IAgentStateStore store, Func<string, bool>? idFilter, WildcardPattern[]? types)
        {
            foreach (AgentStateEntry entry in store.Scan(idFilter))
            {
                if (entry.Record is AgentStateRecord record)
                {
                    if (Matches(record, types))
                    {
                        WriteObject(OutputObjects.Record(record));
                    }
                }
                else
                {
                    AgentStoreResolver.ReportCorrupt(this, entry);
                }
            }
        }

        private bool Matches(AgentStateRecord record, WildcardPattern[]? types)
        {
            bool statusMatches = Status == null || (record.Status is AgentStatus status && Status.Contains(status));
            bool typeMatches = types == null || types.Any(t => t.IsMatch(record.Type ?? string.Empty));
            return statusMatches && typeMatches;
        }
    }
}
