using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AgentState.IO;
using AgentState.Json;
using AgentState.Locking;
using AgentState.Platform;

namespace AgentState.Agents
{
    /// <summary>
    /// The agents' state files under <c>&lt;root&gt;/state/</c>, one <c>&lt;agent_id&gt;.json</c> each, in the layout the
    /// seed's Python StateManager writes. Every write is an atomic replace; every change to an existing
    /// record is a read-modify-write under the file's lock; a file that cannot be read is reported, never
    /// skipped and never deleted unless asked for by path.
    /// </summary>
    public sealed class AgentStateStore : IAgentStateStore
    {
        /// <summary>The folder under the root that holds the state files.</summary>
        public const string StateFolderName = "state";

        /// <summary>The environment variable that names the default root.</summary>
        public const string RootVariable = "AGENTSTATE_ROOT";

        /// <summary>The default root's name, under the current location, when the variable is not set.</summary>
        public const string DefaultRootName = "agent-deployment";

        /// <summary>
        /// The root used when none is given: $AGENTSTATE_ROOT (relative to <paramref name="currentDirectory"/> if
        /// it is relative), else <c>agent-deployment</c> under <paramref name="currentDirectory"/>.
        /// </summary>
        public static string DefaultRoot(string currentDirectory)
        {
            string? configured = Environment.GetEnvironmentVariable(RootVariable);
            return Path.Combine(currentDirectory, string.IsNullOrEmpty(configured) ? DefaultRootName : configured);
        }

        private readonly AtomicFileWriter _writer;
        private readonly AtomicWriteOptions _options;
        private readonly TimeSpan _lockTimeout;
        private readonly Func<DateTimeOffset> _clock;

        /// <summary>A store at <paramref name="root"/> (the folder that holds <c>state/</c>).</summary>
        public AgentStateStore(string root, TimeSpan? lockTimeout = null, Func<DateTimeOffset>? clock = null, AtomicWriteOptions? options = null)
        {
            Root = Path.GetFullPath(root ?? throw new ArgumentNullException(nameof(root)));
            StateFolder = Path.Combine(Root, StateFolderName);
            _lockTimeout = lockTimeout ?? ExclusiveFileLock.DefaultTimeout;
            _clock = clock ?? (() => DateTimeOffset.Now);
            AtomicWriteOptions given = options ?? AtomicWriteOptions.Default;

            // The store's files are the module's own: a link found among them was planted, never followed.
            _options = new AtomicWriteOptions { Durability = given.Durability, Validation = given.Validation, FollowLinks = false };
            _writer = new AtomicFileWriter();
        }

        /// <summary>The store's root folder.</summary>
        public string Root { get; }

        /// <summary><c>&lt;root&gt;/state</c>.</summary>
        public string StateFolder { get; }

        /// <summary>The current time as the store stamps it.</summary>
        public DateTimeOffset Now => _clock();

        /// <summary>The state file of an agent; the id is validated first.</summary>
        /// <exception cref="ArgumentException">The id breaks the file-name rule; the message names the rule.</exception>
        public string PathFor(string agentId) => Path.Combine(StateFolder, FileNameRules.Validate(agentId, "agent id") + ".json");

        /// <summary>Writes a new agent's state file.</summary>
        /// <exception cref="AgentStateExistsException">The agent has a state file and <paramref name="overwrite"/> is false.</exception>
        public AgentStateRecord Create(AgentStateDraft draft, bool overwrite = false)
        {
            string path = PathFor(draft.AgentId);
            AgentStateRules.CheckDraft(draft);
            CreateStateFolder();
            using (ExclusiveFileLock.AcquireBeside(path, _lockTimeout))
            {
                if (!overwrite && EntryExists(path))
                {
                    throw new AgentStateExistsException(draft.AgentId, path);
                }

                RefuseLink(path);

                OrderedJsonObject fields = AgentStateRules.NewFields(draft, Now);
                var record = new AgentStateRecord(path, draft.AgentId, fields, null);
                Write(record);
                return record;
            }
        }

        /// <summary>An agent's record, or null when it has no state file.</summary>
        /// <exception cref="AgentStateCorruptException">The file exists but is not a readable state.</exception>
        public AgentStateRecord? TryGet(string agentId)
        {
            string path = PathFor(agentId);
            return EntryExists(path) ? Read(path, agentId) : null;
        }

        /// <summary>Changes an agent's record under its lock and stamps last_updated.</summary>
        /// <exception cref="AgentStateNotFoundException">The agent has no state file.</exception>
        /// <exception cref="AgentTransitionException">A finished agent would change status without Force.</exception>
        public AgentStateRecord Update(string agentId, AgentStateChange change)
        {
            AgentStateRules.CheckChange(change);

            string path = PathFor(agentId);
            if (!EntryExists(path))
            {
                // Checked before locking too: with no state folder there is nowhere to put a lock file.
                throw new AgentStateNotFoundException(agentId, path);
            }

            RefuseLinkedFolder();
            using (ExclusiveFileLock.AcquireBeside(path, _lockTimeout))
            {
                if (!EntryExists(path))
                {
                    throw new AgentStateNotFoundException(agentId, path);
                }

                AgentStateRecord record = Read(path, agentId);
                AgentStateRules.Apply(record, change, Now);
                Write(record);
                return record;
            }
        }

        /// <summary>
        /// Deletes an agent's state file (and its lock file) when <paramref name="condition"/>, checked under the
        /// lock on the current record, allows it. False when there was no file or the condition said no.
        /// </summary>
        public bool Remove(string agentId, Func<AgentStateRecord, bool>? condition = null)
        {
            string path = PathFor(agentId);
            if (!EntryExists(path))
            {
                return false;
            }

            RefuseLinkedFolder();
            using (ExclusiveFileLock held = ExclusiveFileLock.AcquireBeside(path, _lockTimeout))
            {
                if (!EntryExists(path))
                {
                    return false;
                }

                RefuseLink(path);

                if (condition != null && !condition(Read(path, agentId)))
                {
                    return false;
                }

                File.Delete(path);
                TryDelete(held.LockPath);
                _writer.FlushFolder(StateFolder);
                return true;
            }
        }

        /// <summary>Deletes a file of the state folder by path, corrupt or not.</summary>
        /// <exception cref="ArgumentException">The file is not directly in this store's state folder.</exception>
        public bool RemoveFile(string path)
        {
            string full = Path.GetFullPath(path);
            if (!string.Equals(Path.GetDirectoryName(full), StateFolder, PathComparison))
            {
                throw new ArgumentException($"'{full}' is not a file of the state folder '{StateFolder}'.", nameof(path));
            }

            RefuseLinkedFolder();
            if (!EntryExists(full))
            {
                return false;
            }

            // Asked for by path: a planted link is removed itself (unlink never touches what it names).
            File.Delete(full);
            _writer.FlushFolder(StateFolder);
            return true;
        }

        /// <summary>How many state files there are (for progress reports).</summary>
        public int CountFiles()
        {
            if (!Directory.Exists(StateFolder))
            {
                return 0;
            }

            RefuseLinkedFolder();
            return Directory.EnumerateFiles(StateFolder, "*.json").Count();
        }

        /// <summary>
        /// Every state file, as a record or a corruption, one at a time; with <paramref name="idFilter"/>, only
        /// files whose agent id it accepts are read. In name order by default; unsorted, nothing is held per
        /// file at all, which is what counting a large store wants.
        /// </summary>
        /// <exception cref="AgentStoreNotFoundException">The root folder does not exist (thrown by the call, not by the first read).</exception>
        public IEnumerable<AgentStateEntry> Scan(Func<string, bool>? idFilter = null, bool sorted = true)
        {
            ThrowIfMissing();
            return ScanFiles(idFilter, sorted);
        }

        /// <summary>True when the root folder exists; a root without a state folder is an empty store.</summary>
        public bool Exists => Directory.Exists(Root);

        /// <summary>Fails when the root folder does not exist: reading a store that is not there is an error, not an empty answer.</summary>
        /// <exception cref="AgentStoreNotFoundException">The root folder does not exist.</exception>
        public void ThrowIfMissing()
        {
            if (!Exists)
            {
                throw new AgentStoreNotFoundException(Root);
            }
        }

        /// <inheritdoc />
        public string Location => Root;

        /// <inheritdoc />
        public IEnumerable<(IncompleteAgent? Agent, AgentStateEntry Entry)> FindIncomplete(TimeSpan? staleAfter = null) => AgentStateQueries.FindIncomplete(this, staleAfter);

        /// <inheritdoc />
        public IEnumerable<AgentStateEntry> FindFinishedBefore(TimeSpan olderThan) => AgentStateQueries.FindFinishedBefore(this, olderThan);

        /// <inheritdoc />
        public AgentRecoverySummary Summarize() => AgentRecoverySummary.Collect(this);

        private IEnumerable<AgentStateEntry> ScanFiles(Func<string, bool>? idFilter, bool sorted)
        {
            if (!Directory.Exists(StateFolder))
            {
                yield break;
            }

            RefuseLinkedFolder();

            // Sorted means holding the names (a few MB for 100,000 agents); each file is still read and dropped in turn.
            IEnumerable<string?> names = Directory.EnumerateFiles(StateFolder, "*.json").Select(Path.GetFileName);
            if (sorted)
            {
                var list = names.ToList();
                list.Sort(StringComparer.Ordinal);
                names = list;
            }

            foreach (string? name in names)
            {
                string id = name!.Substring(0, name.Length - ".json".Length);
                if (idFilter != null && !idFilter(id))
                {
                    continue;
                }

                string path = Path.Combine(StateFolder, name);
                AgentStateEntry entry;
                try
                {
                    string? violation = FileNameRules.FindViolation(id);
                    if (violation != null)
                    {
                        throw new AgentStateCorruptException(path, $"its name is not a valid agent id ({violation})");
                    }

                    entry = AgentStateEntry.Read(Read(path, id));
                }
                catch (AgentStateCorruptException corrupt)
                {
                    entry = AgentStateEntry.Corrupt(corrupt);
                }
                catch (FileNotFoundException)
                {
                    continue; // Removed while we looked: it is no longer part of the store.
                }

                yield return entry;
            }
        }

        private static StringComparison PathComparison =>
            NativePlatform.Current.IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

        private AgentStateRecord Read(string path, string agentId)
        {
            byte[] bytes;
            try
            {
                bytes = PlainFile.ReadAllBytes(path, "state file");
            }
            catch (FileNotFoundException)
            {
                throw;
            }
            catch (UnsafePathException unsafePath)
            {
                throw new AgentStateCorruptException(path, $"it is {unsafePath.Found}, which AgentState never reads or writes through", unsafePath);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new AgentStateCorruptException(path, "it cannot be read (" + ex.Message + ")", ex);
            }

            JsonTree tree;
            try
            {
                tree = JsonTreeReader.Read(bytes);
            }
            catch (JsonTreeException ex)
            {
                throw new AgentStateCorruptException(path, ex.Message.TrimEnd('.'), ex);
            }

            if (!(tree.Root is OrderedJsonObject fields))
            {
                throw new AgentStateCorruptException(path, "it is JSON but not an object");
            }

            if (fields.ContainsKey(AgentStateFields.AgentId) && !(fields[AgentStateFields.AgentId] is string recorded && recorded == agentId))
            {
                throw new AgentStateCorruptException(path, $"its agent_id is {Describe(fields[AgentStateFields.AgentId])}, not the file's name '{agentId}'");
            }

            return new AgentStateRecord(path, agentId, fields, tree);
        }

        private void Write(AgentStateRecord record)
        {
            byte[] bytes = JsonTreeWriter.Write(record.Fields, record.Source ?? JsonTree.CreateEmptyObject());
            _writer.Write(record.Path, bytes, _options);
        }

        /// <summary>True when anything, a dangling link included, has the name.</summary>
        private static bool EntryExists(string path) => PlainFile.Exists(path);

        private static void RefuseLink(string path) => PlainFile.RefuseLink(path, "state file");

        private void CreateStateFolder() => PlainFile.CreateFolder(StateFolder, "state folder");

        /// <summary><c>state/</c> is the store's own folder: a link there would take every write elsewhere.</summary>
        private void RefuseLinkedFolder() => PlainFile.RefuseLink(StateFolder, "state folder");

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private static string Describe(object? value) => value is string s ? "'" + s + "'" : value == null ? "null" : "not a string";
    }
}
