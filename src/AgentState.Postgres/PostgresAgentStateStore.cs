using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using AgentState.Agents;
using AgentState.Json;
using AgentState.Stores;
using Npgsql;
using NpgsqlTypes;

namespace AgentState.Postgres
{
    /// <summary>
    /// The agent state store in PostgreSQL: one row per agent, the record as jsonb with the seed's field names (so fields
    /// this module does not know survive), beside indexed columns derived from it on every write. A change reads the row
    /// under <c>SELECT ... FOR UPDATE</c> and writes it back in the same transaction, so no update is lost between hosts;
    /// the rules are the file store's (<see cref="AgentStateRules"/>).
    /// </summary>
    public sealed class PostgresAgentStateStore : IAgentStateStore
    {
        private const int ScanBatch = 1000;
        private const string Columns = "agent_id, doc::text";

        // The file store lists <id>.json names in ordinal order ("a.9.json" before "a.json"): the same order here, by the
        // expression index of the first schema version.
        private const string OrderKey = "((agent_id || '.json') COLLATE \"C\")";

        private readonly PostgresGateway _gateway;
        private readonly string _table;
        private readonly Func<DateTimeOffset> _clock;
        private readonly TimeSpan _lockTimeout;
        private readonly TimeSpan _heartbeatTimeout;
        private readonly bool _initialize;
        private readonly object _readyGate = new object();
        private bool _ready;

        internal PostgresAgentStateStore(PostgresAddress address, StoreOpenOptions options)
        {
            _gateway = new PostgresGateway(address, options.RetryFor, options.Retrying);
            _table = address.Schema + ".agent_state";
            _clock = options.Clock ?? (() => DateTimeOffset.Now);
            _lockTimeout = options.LockTimeout ?? TimeSpan.FromSeconds(10);
            _heartbeatTimeout = options.HeartbeatTimeout ?? TimeSpan.FromSeconds(60);
            _initialize = options.Initialize;
            Location = address.Location;
        }

        /// <inheritdoc />
        public string Location { get; }

        /// <inheritdoc />
        public DateTimeOffset Now => _clock();

        /// <summary>The schema that holds the store's table.</summary>
        public string Schema => _gateway.Address.Schema;

        /// <inheritdoc />
        public bool Exists => _gateway.InTransaction("read the schema's version", (c, t) => PostgresSchema.CurrentVersion(c, t, Schema)) > 0;

        /// <inheritdoc />
        public void ThrowIfMissing() => EnsureReady();

        /// <inheritdoc />
        public AgentStateRecord Create(AgentStateDraft draft, bool overwrite = false)
        {
            AgentStateRules.CheckDraft(draft);
            EnsureReady();
            return _gateway.InTransaction($"create the agent '{draft.AgentId}'", (connection, transaction) =>
            {
                var record = new AgentStateRecord(PathFor(draft.AgentId), draft.AgentId, AgentStateRules.NewFields(draft, Now), null, Location);
                string sql = overwrite
                    ? $"INSERT INTO {_table} AS a {InsertColumns} ON CONFLICT (agent_id) DO UPDATE SET {UpdateColumns}"
                    : $"INSERT INTO {_table} AS a {InsertColumns} ON CONFLICT (agent_id) DO NOTHING";
                using var command = new NpgsqlCommand(sql, connection, transaction);
                Bind(command, record);
                if (command.ExecuteNonQuery() == 0)
                {
                    throw new AgentStateExistsException(draft.AgentId, record.Path);
                }

                return record;
            });
        }

        /// <inheritdoc />
        public AgentStateRecord? TryGet(string agentId)
        {
            FileNameRulesCheck(agentId);
            EnsureReady();
            return _gateway.InTransaction($"read the agent '{agentId}'", (connection, transaction) =>
            {
                using var command = new NpgsqlCommand($"SELECT {Columns} FROM {_table} WHERE agent_id = @id", connection, transaction);
                command.Parameters.AddWithValue("id", agentId);
                using NpgsqlDataReader reader = command.ExecuteReader();
                return reader.Read() ? ReadRecord(reader.GetString(0), reader.GetString(1)) : null;
            });
        }

        /// <inheritdoc />
        public AgentStateRecord Update(string agentId, AgentStateChange change)
        {
            AgentStateRules.CheckChange(change);
            FileNameRulesCheck(agentId);
            EnsureReady();
            return _gateway.InTransaction($"update the agent '{agentId}'", (connection, transaction) =>
            {
                AgentStateRecord record = Lock(connection, transaction, agentId) ?? throw new AgentStateNotFoundException(agentId, PathFor(agentId));
                AgentStateRules.Apply(record, change, Now);
                using var command = new NpgsqlCommand($"UPDATE {_table} AS a SET {UpdateColumns} WHERE a.agent_id = @agent_id", connection, transaction);
                Bind(command, record);
                command.ExecuteNonQuery();
                return record;
            });
        }

        /// <inheritdoc />
        public bool Remove(string agentId, Func<AgentStateRecord, bool>? condition = null)
        {
            FileNameRulesCheck(agentId);
            EnsureReady();
            return _gateway.InTransaction($"remove the agent '{agentId}'", (connection, transaction) =>
            {
                AgentStateRecord? record = Lock(connection, transaction, agentId);
                if (record == null || (condition != null && !condition(record)))
                {
                    return false;
                }

                using var command = new NpgsqlCommand($"DELETE FROM {_table} WHERE agent_id = @id", connection, transaction);
                command.Parameters.AddWithValue("id", agentId);
                return command.ExecuteNonQuery() == 1;
            });
        }

        /// <inheritdoc />
        public IEnumerable<AgentStateEntry> Scan(Func<string, bool>? idFilter = null, bool sorted = true)
        {
            EnsureReady();
            return Batches(string.Empty, idFilter);
        }

        /// <inheritdoc />
        public IEnumerable<(IncompleteAgent? Agent, AgentStateEntry Entry)> FindIncomplete(TimeSpan? staleAfter = null)
        {
            EnsureReady();
            return FindIncompleteRows(staleAfter);
        }

        /// <inheritdoc />
        public IEnumerable<AgentStateEntry> FindFinishedBefore(TimeSpan olderThan)
        {
            EnsureReady();
            DateTimeOffset cutoff = Now - olderThan;

            // The indexed column narrows the rows; the record's own test (the one Remove repeats under the lock) decides.
            foreach (AgentStateEntry entry in Batches("finished AND finished_at < @cutoff", null, cutoff))
            {
                if (entry.Record is not AgentStateRecord record || AgentStateQueries.IsFinishedBefore(record, cutoff))
                {
                    yield return entry;
                }
            }
        }

        /// <inheritdoc />
        public AgentRecoverySummary Summarize()
        {
            EnsureReady();
            return _gateway.InTransaction("summarize the agents", (connection, transaction) =>
            {
                // Set-based: a count per status, type and completeness, then the oldest incomplete row by its index.
                int total = 0, incomplete = 0;
                var byStatus = new SortedDictionary<string, int>(StringComparer.Ordinal);
                var incompleteByStatus = new SortedDictionary<string, int>(StringComparer.Ordinal);
                var incompleteByType = new SortedDictionary<string, int>(StringComparer.Ordinal);
                using (var counts = new NpgsqlCommand($"SELECT status, agent_type, incomplete, count(*) FROM {_table} GROUP BY 1, 2, 3", connection, transaction))
                using (NpgsqlDataReader reader = counts.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        string status = reader.IsDBNull(0) ? "(none)" : reader.GetString(0);
                        string type = reader.IsDBNull(1) ? "(none)" : reader.GetString(1);
                        int n = (int)reader.GetInt64(3);
                        total += n;
                        Add(byStatus, status, n);
                        if (reader.GetBoolean(2))
                        {
                            incomplete += n;
                            Add(incompleteByStatus, status, n);
                            Add(incompleteByType, type, n);
                        }
                    }
                }

                AgentStateRecord? oldest = null;
                using (var first = new NpgsqlCommand($"SELECT {Columns} FROM {_table} WHERE incomplete ORDER BY began_at NULLS LAST, agent_id COLLATE \"C\" LIMIT 1", connection, transaction))
                using (NpgsqlDataReader reader = first.ExecuteReader())
                {
                    if (reader.Read())
                    {
                        oldest = ReadRecord(reader.GetString(0), reader.GetString(1));
                    }
                }

                return new AgentRecoverySummary(Location, total, incomplete, byStatus, incompleteByStatus, incompleteByType, Array.Empty<string>(), oldest);
            });
        }

        private static void Add(SortedDictionary<string, int> counts, string key, int n) => counts[key] = counts.TryGetValue(key, out int had) ? had + n : n;

        private IEnumerable<(IncompleteAgent? Agent, AgentStateEntry Entry)> FindIncompleteRows(TimeSpan? staleAfter)
        {
            DateTimeOffset now = Now;
            string after = string.Empty;
            while (true)
            {
                // The heartbeat's age by the server's clock, so that hosts whose clocks differ agree on it.
                var batch = _gateway.InTransaction("list the incomplete agents", (connection, transaction) =>
                {
                    using var command = new NpgsqlCommand(
                        $"SELECT {Columns}, extract(epoch FROM now() - heartbeat)::float8 FROM {_table} WHERE incomplete AND {OrderKey} > @after ORDER BY {OrderKey} LIMIT {ScanBatch}",
                        connection, transaction);
                    command.Parameters.AddWithValue("after", after);
                    var rows = new List<(AgentStateEntry Entry, double HeartbeatAge)>();
                    using NpgsqlDataReader reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        rows.Add((Entry(reader.GetString(0), reader.GetString(1)), reader.GetDouble(2)));
                    }

                    return rows;
                });

                foreach ((AgentStateEntry entry, double heartbeatAge) in batch)
                {
                    if (entry.Record is not AgentStateRecord record)
                    {
                        yield return (null, entry);
                        continue;
                    }

                    TimeSpan? since = record.LastUpdated is DateTimeOffset updated ? now - updated : (TimeSpan?)null;
                    bool stale = staleAfter != null && (since == null || since.Value > staleAfter.Value);
                    yield return (new IncompleteAgent(record, IsAlive(record, heartbeatAge), stale, since), entry);
                }

                if (batch.Count < ScanBatch)
                {
                    yield break;
                }

                after = IdOf(batch[batch.Count - 1].Entry) + ".json";
            }
        }

        /// <summary>
        /// A pid means something only on its own host: recorded here (or with no host, as the file store reads it), the
        /// process is asked; recorded on another host, the agent is alive while its row was written within the heartbeat
        /// timeout, by the server's clock.
        /// </summary>
        private bool IsAlive(AgentStateRecord record, double heartbeatAgeSeconds)
        {
            if (record.ProcessId == null)
            {
                return false;
            }

            if (record.Host == null || string.Equals(record.Host, ProcessIdentity.HostName, StringComparison.OrdinalIgnoreCase))
            {
                return ProcessIdentity.IsAlive(record);
            }

            return heartbeatAgeSeconds <= _heartbeatTimeout.TotalSeconds;
        }

        private IEnumerable<AgentStateEntry> Batches(string where, Func<string, bool>? idFilter, DateTimeOffset? cutoff = null)
        {
            // Keyset pages, each its own short transaction: no connection or snapshot is held while the caller works on a
            // page (it may remove what it was given), and a retry repeats one page, never the whole scan.
            string after = string.Empty;
            while (true)
            {
                List<(string Id, string Doc)> page = _gateway.InTransaction("list the agents", (connection, transaction) =>
                {
                    string filter = where.Length == 0 ? string.Empty : where + " AND ";
                    using var command = new NpgsqlCommand(
                        $"SELECT {Columns} FROM {_table} WHERE {filter}{OrderKey} > @after ORDER BY {OrderKey} LIMIT {ScanBatch}", connection, transaction);
                    command.Parameters.AddWithValue("after", after);
                    if (cutoff is DateTimeOffset limit)
                    {
                        command.Parameters.AddWithValue("cutoff", limit.ToUniversalTime());
                    }

                    var rows = new List<(string, string)>();
                    using NpgsqlDataReader reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        rows.Add((reader.GetString(0), reader.GetString(1)));
                    }

                    return rows;
                });

                foreach ((string id, string doc) in page)
                {
                    if (idFilter == null || idFilter(id))
                    {
                        yield return Entry(id, doc);
                    }
                }

                if (page.Count < ScanBatch)
                {
                    yield break;
                }

                after = page[page.Count - 1].Id + ".json";
            }
        }

        private static string IdOf(AgentStateEntry entry) => entry.Record?.AgentId ?? entry.Path.Substring(entry.Path.LastIndexOf('#') + 1);

        private AgentStateEntry Entry(string id, string doc)
        {
            try
            {
                return AgentStateEntry.Read(ReadRecord(id, doc));
            }
            catch (AgentStateCorruptException corrupt)
            {
                return AgentStateEntry.Corrupt(corrupt);
            }
        }

        private AgentStateRecord? Lock(NpgsqlConnection connection, NpgsqlTransaction transaction, string agentId)
        {
            int milliseconds = (int)Math.Max(1, Math.Min(int.MaxValue, _lockTimeout.TotalMilliseconds));
            using (var limit = new NpgsqlCommand($"SET LOCAL lock_timeout = {milliseconds.ToString(CultureInfo.InvariantCulture)}", connection, transaction))
            {
                limit.ExecuteNonQuery();
            }

            using var command = new NpgsqlCommand($"SELECT {Columns} FROM {_table} WHERE agent_id = @id FOR UPDATE", connection, transaction);
            command.Parameters.AddWithValue("id", agentId);
            try
            {
                using NpgsqlDataReader reader = command.ExecuteReader();
                return reader.Read() ? ReadRecord(reader.GetString(0), reader.GetString(1)) : null;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                throw new RecordLockedException(Location, agentId, _lockTimeout, ex);
            }
        }

        private AgentStateRecord ReadRecord(string agentId, string doc)
        {
            string path = PathFor(agentId);
            JsonTree tree;
            try
            {
                tree = JsonTreeReader.Read(Encoding.UTF8.GetBytes(doc));
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
                throw new AgentStateCorruptException(path, "its agent_id is not the row's agent id '" + agentId + "'");
            }

            // jsonb keeps no key order: the seed's fields go back into the seed's order, any others follow as stored.
            return new AgentStateRecord(path, agentId, InSeedOrder(fields), null, Location);
        }

        private static readonly string[] SeedOrder =
        {
            AgentStateFields.AgentId, AgentStateFields.AgentName, AgentStateFields.AgentType, AgentStateFields.ParentAgentId,
            AgentStateFields.Model, AgentStateFields.Prompt, AgentStateFields.LoadPercentage, AgentStateFields.EstimatedDuration,
            AgentStateFields.Metadata, AgentStateFields.Status, AgentStateFields.ProcessId, AgentStateFields.StartedAt,
            AgentStateFields.Progress, AgentStateFields.CreatedAt, AgentStateFields.LastUpdated,
        };

        private static OrderedJsonObject InSeedOrder(OrderedJsonObject stored)
        {
            var ordered = new OrderedJsonObject();
            foreach (string key in SeedOrder)
            {
                if (stored.ContainsKey(key))
                {
                    ordered[key] = stored[key];
                }
            }

            foreach (KeyValuePair<string, object?> field in stored)
            {
                if (!ordered.ContainsKey(field.Key))
                {
                    ordered[field.Key] = field.Value;
                }
            }

            return ordered;
        }

        private const string InsertColumns =
            "(agent_id, doc, status, agent_type, incomplete, finished, created_at, last_updated, began_at, finished_at, host, pid, heartbeat) " +
            "VALUES (@agent_id, @doc, @status, @agent_type, @incomplete, @finished, @created_at, @last_updated, @began_at, @finished_at, @host, @pid, now())";

        private const string UpdateColumns =
            "doc = @doc, status = @status, agent_type = @agent_type, incomplete = @incomplete, finished = @finished, created_at = @created_at, " +
            "last_updated = @last_updated, began_at = @began_at, finished_at = @finished_at, host = @host, pid = @pid, heartbeat = now()";

        private static void Bind(NpgsqlCommand command, AgentStateRecord record)
        {
            NpgsqlParameterCollection p = command.Parameters;
            p.AddWithValue("agent_id", record.AgentId);
            p.Add(new NpgsqlParameter("doc", NpgsqlDbType.Jsonb) { Value = Encoding.UTF8.GetString(JsonTreeWriter.WriteLine(record.Fields)) });
            p.Add(new NpgsqlParameter("status", NpgsqlDbType.Text) { Value = (object?)record.StatusText ?? DBNull.Value });
            p.Add(new NpgsqlParameter("agent_type", NpgsqlDbType.Text) { Value = (object?)record.Type ?? DBNull.Value });
            p.AddWithValue("incomplete", record.IsIncomplete);
            p.AddWithValue("finished", record.Status is AgentStatus status && status.IsFinished());
            p.Add(Time("created_at", record.CreatedAt));
            p.Add(Time("last_updated", record.LastUpdated));
            p.Add(Time("began_at", AgentRecoverySummary.Began(record)));
            p.Add(Time("finished_at", record.FinishedAt));
            p.Add(new NpgsqlParameter("host", NpgsqlDbType.Text) { Value = (object?)record.Host ?? DBNull.Value });
            p.Add(new NpgsqlParameter("pid", NpgsqlDbType.Integer) { Value = (object?)record.ProcessId ?? DBNull.Value });
        }

        private static NpgsqlParameter Time(string name, DateTimeOffset? value) =>
            new NpgsqlParameter(name, NpgsqlDbType.TimestampTz) { Value = value is DateTimeOffset time ? time.UtcDateTime : DBNull.Value };

        private string PathFor(string agentId) => Location + "#" + agentId;

        private static void FileNameRulesCheck(string agentId) => AgentState.IO.FileNameRules.Validate(agentId, "agent id");

        private void EnsureReady()
        {
            lock (_readyGate)
            {
                if (_ready)
                {
                    return;
                }

                int version = _gateway.InTransaction("open the store", (connection, transaction) => PostgresSchema.CurrentVersion(connection, transaction, Schema));
                if (version > PostgresSchema.Latest)
                {
                    throw PostgresSchema.NewerThanModule(Schema, version);
                }

                if (version < PostgresSchema.Latest)
                {
                    if (!_initialize)
                    {
                        string hint = $"run 'agentstate db init --store <connection>', or set ${StoreOpenOptions.InitializeVariable}=1 (--init on the CLI) to create it on first use";
                        if (version == 0)
                        {
                            throw new AgentStoreNotFoundException(Location, $"Cannot find the agent store '{Location}': the database has no schema '{Schema}' with AgentState's tables; {hint}.");
                        }

                        throw new StoreSchemaException($"The schema '{Schema}' of '{Location}' is at version {version}; this module needs {PostgresSchema.Latest}: {hint}.");
                    }

                    _gateway.InTransaction($"initialize the schema '{Schema}'", (connection, transaction) => PostgresSchema.Migrate(connection, transaction, Schema), PostgresSchema.LockName(Schema));
                }

                _ready = true;
            }
        }
    }
}
