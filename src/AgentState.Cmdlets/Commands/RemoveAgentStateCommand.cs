using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AgentState.Agents;
using AgentState.Commands.Infrastructure;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Removes agents' state files, by id, by status, or by path (the way to remove a corrupt one).</para>
    /// <para type="description">Removing a finished agent's state is of medium impact and does not prompt by default; removing an incomplete (pending, spawning, running) agent's state is of high impact and asks first unless -Force or -Confirm:$false.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "AgentState", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AgentStateRecord))]
    public sealed class RemoveAgentStateCommand : PSCmdlet
    {
        private const string IdSet = "AgentId";
        private const string StatusSet = "Status";
        private const string PathSet = "Path";
        private bool _yesToAll;
        private bool _noToAll;

        /// <summary>The agents to remove; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("agent_id")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(AgentIdCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] AgentId { get; set; } = new string[0];

        /// <summary>Remove every agent with one of these statuses.</summary>
        [Parameter(Mandatory = true, ParameterSetName = StatusSet)]
        public AgentStatus[] Status { get; set; } = new AgentStatus[0];

        /// <summary>State files to remove by path, corrupt or not; taken literally. A FileInfo binds here through PSPath.</summary>
        /// <remarks>
        /// ValueFromPipeline although a piped string goes to -AgentId (the default set is tried first): with only
        /// -AgentId taking values and -Status mandatory elsewhere, PowerShell latches onto the -AgentId set before
        /// the first object arrives, and a FileInfo then binds to -AgentId as its ToString().
        /// </remarks>
        [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LiteralPath")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = new string[0];

        /// <summary>The store's folder; piped records bring their own.</summary>
        [Parameter(ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = StatusSet, ValueFromPipelineByPropertyName = true)]
        public string? Root { get; set; }

        /// <summary>The store: a folder, or a PostgreSQL connection string or URI; $env:AGENTSTATE_STORE by default. -Root is its folder form.</summary>
        [Parameter(ParameterSetName = IdSet)]
        [Parameter(ParameterSetName = StatusSet)]
        [EmptyAsAbsent]
        public string? Store { get; set; }

        /// <summary>Remove incomplete agents' states without asking.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit each removed record.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ParameterSetName == PathSet)
            {
                foreach (string path in Path)
                {
                    RemovePath(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));
                }

                return;
            }

            IAgentStateStore? store = AgentStoreResolver.Open(this, Root, Store);
            if (store == null)
            {
                return;
            }
            if (ParameterSetName == StatusSet)
            {
                // Streamed: the scan fixes its list of names first, so removing as it goes is safe and holds no records.
                foreach (AgentStateEntry entry in store.Scan())
                {
                    if (entry.Record is AgentStateRecord record && record.Status is AgentStatus status && Status.Contains(status))
                    {
                        Remove(store, record, current => current.Status is AgentStatus now && Status.Contains(now));
                    }
                    else if (entry.Record == null)
                    {
                        AgentStoreResolver.ReportCorrupt(this, entry);
                    }
                }

                return;
            }

            foreach (string id in AgentId)
            {
                if (WildcardPattern.ContainsWildcardCharacters(id))
                {
                    var pattern = new WildcardPattern(id, WildcardOptions.IgnoreCase);
                    foreach (AgentStateEntry entry in store.Scan(pattern.IsMatch))
                    {
                        if (entry.Record is AgentStateRecord record)
                        {
                            Remove(store, record, null);
                        }
                        else
                        {
                            AgentStoreResolver.ReportCorrupt(this, entry);
                        }
                    }

                    continue;
                }

                try
                {
                    AgentStateRecord record = store.TryGet(id) ?? throw new AgentStateNotFoundException(id, AgentStoreResolver.PlaceOf(store, id));
                    Remove(store, record, null);
                }
                catch (Exception ex) when (EngineErrors.For(ex, id) is ErrorRecord error)
                {
                    WriteError(error);
                    if (ex is AgentStateCorruptException)
                    {
                        WriteWarning($"To remove the corrupt file, use: Remove-AgentState -Path '{AgentStoreResolver.PlaceOf(store, id)}'");
                    }
                }
            }
        }

        private void Remove(IAgentStateStore store, AgentStateRecord record, Func<AgentStateRecord, bool>? condition)
        {
            if (!Confirmed(record.AgentId, record.IsIncomplete, record.StatusText))
            {
                return;
            }

            try
            {
                if (store.Remove(record.AgentId, condition) && PassThru)
                {
                    WriteObject(OutputObjects.Record(record));
                }
            }
            catch (Exception ex) when (EngineErrors.For(ex, record.AgentId) is ErrorRecord error)
            {
                WriteError(error);
            }
        }

        private void RemovePath(string file)
        {
            string folder = System.IO.Path.GetDirectoryName(file) ?? string.Empty;
            if (!string.Equals(System.IO.Path.GetFileName(folder), AgentStateStore.StateFolderName, StringComparison.Ordinal)
                || !file.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                WriteError(new ErrorRecord(new PSArgumentException($"'{file}' is not an agent state file (a .json file in a folder named '{AgentStateStore.StateFolderName}')."),
                    "NotAgentStateFile", ErrorCategory.InvalidArgument, file));
                return;
            }

            var store = new AgentStateStore(System.IO.Path.GetDirectoryName(folder)!);
            AgentStateRecord? record = null;
            string id = System.IO.Path.GetFileNameWithoutExtension(file);
            try
            {
                record = AgentState.IO.FileNameRules.FindViolation(id) == null ? store.TryGet(id) : null;
            }
            catch (AgentStateCorruptException)
            {
                // Corrupt: removing it by path is exactly what -Path is for.
            }

            if (!File.Exists(file))
            {
                WriteError(new ErrorRecord(new ItemNotFoundException($"Cannot find '{file}'."), "PathNotFound", ErrorCategory.ObjectNotFound, file));
                return;
            }

            if (!Confirmed(file, record?.IsIncomplete ?? false, record?.StatusText ?? "unreadable"))
            {
                return;
            }

            try
            {
                store.RemoveFile(file);
                if (PassThru && record != null)
                {
                    WriteObject(OutputObjects.Record(record));
                }
            }
            catch (Exception ex) when (EngineErrors.For(ex, file) is ErrorRecord error)
            {
                WriteError(error);
            }
        }

        private bool Confirmed(string target, bool incomplete, string? status)
        {
            if (!ShouldProcess(target, $"Remove agent state ({status})"))
            {
                return false;
            }

            if (!incomplete || Force || MyInvocation.BoundParameters.ContainsKey("Confirm"))
            {
                return true; // Finished, forced, or -Confirm already asked (or -Confirm:$false said not to).
            }

            // An incomplete agent's state is of high impact: ask whenever $ConfirmPreference is High or lower.
            var preference = LanguagePrimitives.ConvertTo<ConfirmImpact>(GetVariableValue("ConfirmPreference", ConfirmImpact.High));
            if (preference == ConfirmImpact.None)
            {
                return true;
            }

            return ShouldContinue($"'{target}' is {status}: its agent may still be working, and its state is what a restart recovers from. Remove it?",
                "Remove an incomplete agent's state", ref _yesToAll, ref _noToAll);
        }
    }
}
