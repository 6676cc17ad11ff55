using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using AgentState.Queue;
using AgentState.Stores;
using Npgsql;
using NpgsqlTypes;

namespace AgentState.Postgres
{
    /// <summary>
    /// The work queue in PostgreSQL, with the folder queue's rules (<see cref="FolderWorkQueue"/>): one row per item, its
    /// content as jsonb with the file queue's field names, beside indexed columns for state, priority, sequence, due
    /// time, lease and holder. A claim takes the first due row in claim order with <c>FOR UPDATE SKIP LOCKED</c>, so
    /// consumers on any host never wait for one another; a trigger notifies waiting claims when an item becomes queued.
    /// </summary>
    /// <remarks>
    /// Time is the injected clock when one is given (so tests can move it), else the server's <c>now()</c>: one clock
    /// for every host. Every operation is one transaction through <see cref="PostgresGateway"/>. Claim, renew, complete
    /// and fail are one round trip each, committing by themselves; when a reply is lost, the gateway reads the row back
    /// (by the lease token the client drew) to learn whether the change committed, and does it again only if not.
    /// </remarks>
    public sealed partial class PostgresWorkQueue : IWorkQueue
    {
        // The transaction's time: the injected clock's, or the server's.
        private const string Now = "coalesce(@now, now())";

        private const string Row = "item_id, seq, priority, state, attempts, max_attempts, due_at, lease_token, lease_expires, holder_pid, last_error, doc::text, payload";

        // The lease's token stays on the row after the lease ends: an operation whose reply was lost is told by it whether
        // it committed (PostgresGateway.InOneTrip). Only a claimed row's token is a lease.
        // A row without its content (the document and the payload): what a completion gives back, as the folder queue's does.
        private const string Summary = "item_id, seq, priority, state, attempts, max_attempts, due_at, lease_token, lease_expires, holder_pid, last_error";

        private const string ClearLease = "lease_expires = NULL, holder_host = NULL, holder_pid = NULL, holder_start = NULL";

        // Capacity waits look again after these pauses: finished items notify nobody (a NOTIFY makes commits wait for one another).
        private static readonly TimeSpan FirstCapacityPause = TimeSpan.FromMilliseconds(20);
        private static readonly TimeSpan LongestCapacityPause = TimeSpan.FromMilliseconds(250);

        private readonly PostgresGateway _gateway;
        private readonly string _table;
        private readonly Func<DateTimeOffset>? _clock;
        private readonly Func<LeaseHolder, bool> _isDead;
        private readonly bool _initialize;
        private readonly object _readyGate = new object();
        private bool _ready;

        internal PostgresWorkQueue(PostgresAddress address, StoreOpenOptions options)
        {
            _gateway = new PostgresGateway(address, options.RetryFor, options.Retrying);
            _table = address.Schema + ".work_queue";
            _clock = options.Clock;
            _isDead = options.LeaseHolderIsDead ?? (holder => holder.IsKnownDead());
            _initialize = options.Initialize;
            Location = address.Location;
            Channel = QueueListener.Channel(address.Schema);
        }

        /// <inheritdoc/>
        public string Location { get; }

        /// <summary>The schema that holds the queue's table.</summary>
        public string Schema => _gateway.Address.Schema;

        /// <summary>The gateway its operations go through (tests interrupt it).</summary>
        internal PostgresGateway Gateway => _gateway;

        /// <summary>The channel waiters LISTEN on.</summary>
        internal string Channel { get; }

        /// <inheritdoc/>
        public WorkItem Enqueue(WorkItemDraft draft, int? capacity = null, TimeSpan capacityWait = default, CancellationToken cancellation = default)
        {
            WorkItemRules.CheckDraft(draft);
            WorkItemRules.CheckCapacity(capacity);
            EnsureReady(create: true);

            // The content as the file queue writes it; its enqueuedAt is set by the statement, in the transaction's time.
            string doc = Encoding.UTF8.GetString(WorkItemContent.Serialize(draft, DateTimeOffset.UnixEpoch));

            // jsonb keeps neither key order nor spacing: the payload's own text is kept beside it, as the file queue
            // gives it back (the value's text without surrounding space).
            string payload;
            using (var parsed = System.Text.Json.JsonDocument.Parse(draft.PayloadJson))
            {
                payload = parsed.RootElement.GetRawText();
            }
            DateTime waitUntil = DateTime.UtcNow + capacityWait;
            TimeSpan pause = FirstCapacityPause;
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                WorkItem? placed = _gateway.InTransaction($"enqueue the work item '{draft.Id}'", (connection, transaction) =>
                    Insert(connection, transaction, draft, doc, payload, capacity));
                if (placed != null)
                {
                    return placed;
                }

                TimeSpan left = waitUntil - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    throw new WorkQueueFullException(Location, capacity!.Value, capacityWait);
                }

                cancellation.WaitHandle.WaitOne(pause < left ? pause : left);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestCapacityPause.Ticks));
            }
        }

        /// <summary>The item placed, or null when the queue is at <paramref name="capacity"/>.</summary>
        private WorkItem? Insert(NpgsqlConnection connection, NpgsqlTransaction transaction, WorkItemDraft draft, string doc, string payload, int? capacity)
        {
            if (capacity != null)
            {
                // Producers with a capacity count and insert one at a time, so that two never both take the last place.
                using var gate = new NpgsqlCommand($"SELECT pg_advisory_xact_lock(hashtext(@key)); SELECT count(*) FROM {_table} WHERE state IN ('queued', 'claimed')", connection, transaction);
                gate.Parameters.AddWithValue("key", "agentstate queue capacity " + Schema);
                using NpgsqlDataReader counted = gate.ExecuteReader();
                counted.NextResult();
                counted.Read();
                if (counted.GetInt64(0) >= capacity.Value)
                {
                    return null;
                }
            }

            using var insert = new NpgsqlCommand(
                $@"INSERT INTO {_table} (item_id, priority, state, max_attempts, due_at, payload, doc)
VALUES (@id, @priority, 'queued', @max, @due, @payload,
        jsonb_set(@doc, '{{enqueuedAt}}', to_jsonb(to_char({Now} AT TIME ZONE 'UTC', 'YYYY-MM-DD""T""HH24:MI:SS.MS""+00:00""'))))
ON CONFLICT (item_id) DO NOTHING
RETURNING {Row}", connection, transaction);
            AddNow(insert);
            insert.Parameters.AddWithValue("id", draft.Id);
            insert.Parameters.AddWithValue("priority", draft.Priority);
            insert.Parameters.AddWithValue("max", draft.MaxAttempts);
            insert.Parameters.Add(Time("due", draft.NotBefore));
            insert.Parameters.Add(new NpgsqlParameter("doc", NpgsqlDbType.Jsonb) { Value = doc });
            insert.Parameters.AddWithValue("payload", payload);
            using (NpgsqlDataReader reader = insert.ExecuteReader())
            {
                if (reader.Read())
                {
                    return ReadItem(reader, withContent: true);
                }
            }

            throw new DuplicateWorkItemException(Location, draft.Id, StateOf(connection, transaction, draft.Id) ?? WorkItemState.Queued);
        }

        /// <inheritdoc/>
        public WorkItem? Claim(LeaseHolder holder, TimeSpan lease, TimeSpan wait = default, CancellationToken cancellation = default)
        {
            IReadOnlyList<WorkItem> claimed = ClaimMany(holder, lease, 1, wait, cancellation);
            return claimed.Count == 0 ? null : claimed[0];
        }

        /// <inheritdoc/>
        public IReadOnlyList<WorkItem> ClaimMany(LeaseHolder holder, TimeSpan lease, int count, TimeSpan wait = default, CancellationToken cancellation = default)
        {
            if (holder == null)
            {
                throw new ArgumentNullException(nameof(holder));
            }

            WorkItemRules.CheckLease(lease);
            WorkItemRules.CheckClaimCount(count);
            EnsureReady(create: true);
            DateTime waitUntil = DateTime.UtcNow + wait;
            QueueListener? listener = null;
            try
            {
                while (true)
                {
                    cancellation.ThrowIfCancellationRequested();
                    if (wait > TimeSpan.Zero && listener == null)
                    {
                        // Before looking: an enqueue that commits after the look still wakes the wait.
                        listener = QueueListener.TryStart(_gateway, Channel);
                    }

                    TimeSpan? nextChange = null;
                    string token = NewToken();
                    List<WorkItem> items = _gateway.InOneTrip(
                        count == 1 ? "claim a work item" : $"claim up to {count} work items",
                        connection =>
                        {
                            List<WorkItem> claimed = SweepAndClaim(connection, holder, lease, count, token);
                            if (claimed.Count == 0 && wait > TimeSpan.Zero)
                            {
                                nextChange = NextChange(connection, holder);
                            }

                            return claimed;
                        },
                        connection => ClaimedWith(connection, token),
                        severalTrips: true);
                    if (items.Count > 0)
                    {
                        return items;
                    }

                    TimeSpan left = waitUntil - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero)
                    {
                        return items;
                    }

                    listener = Nap(listener, nextChange is TimeSpan soon && soon < left ? soon : left, cancellation);
                }
            }
            finally
            {
                listener?.Dispose();
            }
        }

        /// <inheritdoc/>
        public WorkItem Renew(string id, string leaseToken, TimeSpan lease)
        {
            WorkItemRules.CheckId(id);
            WorkItemRules.CheckLease(lease);
            EnsureReady(create: false);
            // Renewing again is harmless (the lease runs from now either way): a lost reply is answered by doing it again.
            return _gateway.InOneTrip(
                $"renew the lease on '{id}'",
                connection =>
                {
                    using var command = new NpgsqlCommand(
                        $"UPDATE {_table} SET lease_expires = {Now} + @lease WHERE item_id = @id AND state = 'claimed' AND lease_token = @token RETURNING {Row}",
                        connection);
                    AddNow(command);
                    command.Parameters.AddWithValue("lease", lease);
                    return Held(connection, command, id, leaseToken);
                },
                _ => (false, null!));
        }

        /// <inheritdoc/>
        public WorkItem Complete(string id, string leaseToken)
        {
            WorkItemRules.CheckId(id);
            EnsureReady(create: false);
            return _gateway.InOneTrip(
                $"complete the work item '{id}'",
                connection =>
                {
                    using var command = new NpgsqlCommand(
                        $"UPDATE {_table} SET state = 'completed', finished_at = {Now}, {ClearLease} WHERE item_id = @id AND state = 'claimed' AND lease_token = @token RETURNING {Summary}",
                        connection);
                    AddNow(command);
                    return Held(connection, command, id, leaseToken, withContent: false);
                },
                connection => EndedWith(connection, id, leaseToken, "state = 'completed'", withContent: false));
        }

        /// <inheritdoc/>
        public WorkItem Fail(string id, string leaseToken, string error, TimeSpan retryAfter)
        {
            WorkItemRules.CheckId(id);
            WorkItemRules.CheckRetryAfter(retryAfter);
            EnsureReady(create: false);
            string failure = WorkItemRules.FailureText(error);
            WorkItem after = _gateway.InOneTrip(
                $"record the failure of '{id}'",
                connection =>
                {
                    // Past its maximum of attempts a dead letter, else back in its place, due after the delay.
                    using var command = new NpgsqlCommand(
                        $@"UPDATE {_table} SET
    state = CASE WHEN attempts >= max_attempts THEN 'dead_letter' ELSE 'queued' END,
    due_at = CASE WHEN attempts < max_attempts AND @retry > interval '0' THEN {Now} + @retry END,
    finished_at = CASE WHEN attempts >= max_attempts THEN {Now} END,
    last_error = @error, {ClearLease}
WHERE item_id = @id AND state = 'claimed' AND lease_token = @token RETURNING {Row}", connection);
                    AddNow(command);
                    command.Parameters.AddWithValue("retry", retryAfter);
                    command.Parameters.AddWithValue("error", failure);
                    return Held(connection, command, id, leaseToken);
                },
                connection => EndedWith(connection, id, leaseToken, "state IN ('queued', 'dead_letter') AND last_error = @error", failure));
            after.LastError = error;
            return after;
        }

        /// <summary>Runs a change of the caller's claim; <see cref="LeaseLostException"/> (nothing changed) when it is not theirs now.</summary>
        private WorkItem Held(NpgsqlConnection connection, NpgsqlCommand command, string id, string leaseToken, bool withContent = true)
        {
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("token", leaseToken ?? string.Empty);
            using (NpgsqlDataReader reader = command.ExecuteReader())
            {
                if (reader.Read())
                {
                    return ReadItem(reader, withContent);
                }
            }

            WorkItemState? state = StateOf(connection, null, id);
            throw state == null ? new WorkItemNotFoundException(Location, id) : (Exception)new LeaseLostException(Location, id, state);
        }

        /// <summary>
        /// Whether a claim whose reply was lost committed: the rows claimed now under its token (a token is drawn for each
        /// claim, so no other claim's rows carry it).
        /// </summary>
        private (bool Committed, List<WorkItem> Items) ClaimedWith(NpgsqlConnection connection, string token)
        {
            using var command = new NpgsqlCommand($"SELECT {Row} FROM {_table} WHERE state = 'claimed' AND starts_with(lease_token, @prefix)", connection);
            command.Parameters.AddWithValue("prefix", token + ".");
            var claimed = new List<WorkItem>();
            var corrupt = new List<(string Id, string Token, string Reason)>();
            using (NpgsqlDataReader reader = command.ExecuteReader())
            {
                ReadClaimed(reader, claimed, corrupt);
            }

            // What cannot be read is left claimed: its lease runs out, and the claim that finds it then sends it to the dead letters.
            return (claimed.Count > 0 || corrupt.Count > 0, InClaimOrder(claimed));
        }

        /// <summary>
        /// Whether the end of a claim (a completion or a failure) whose reply was lost committed: the row has left the
        /// claim for <paramref name="ended"/> and still carries the claim's token (a new claim would have replaced it).
        /// </summary>
        private (bool Committed, WorkItem Item) EndedWith(NpgsqlConnection connection, string id, string leaseToken, string ended, string? error = null, bool withContent = true)
        {
            using var command = new NpgsqlCommand($"SELECT {(withContent ? Row : Summary)} FROM {_table} WHERE item_id = @id AND lease_token = @token AND {ended}", connection);
            if (error != null)
            {
                command.Parameters.AddWithValue("error", error);
            }

            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("token", leaseToken ?? string.Empty);
            using NpgsqlDataReader reader = command.ExecuteReader();
            return reader.Read() ? (true, ReadItem(reader, withContent)) : (false, null!);
        }

        /// <summary>
        /// Returns every claim whose lease ran out (one statement) or whose holder on this host died (asked of the
        /// process table here: a pid means nothing on another host, where only the lease counts), and claims up to
        /// <paramref name="count"/> items: one round trip to the server in the common case, where nothing needs returning.
        /// Each return counts the attempt it used; past its maximum, the item is a dead letter. An item a dead holder had is
        /// returned after the claim was looked for, so it goes to the next claim unless this one found nothing else.
        /// </summary>
        /// <remarks>
        /// The batch commits by itself; so does each return and further claim after it (each is bound to its row's token,
        /// and one left undone is done by a later claim). A further claim uses <paramref name="token"/> too, since the
        /// batch's claim found nothing or only dead letters: a lost reply is still told by that token alone.
        /// </remarks>
        private List<WorkItem> SweepAndClaim(NpgsqlConnection connection, LeaseHolder holder, TimeSpan lease, int count, string token)
        {
            var mine = new List<(string Id, string Token, int Pid, long StartTicks)>();
            var claimed = new List<WorkItem>();
            var corrupt = new List<(string Id, string Token, string Reason)>();
            using (var command = new NpgsqlCommand(
                $@"UPDATE {_table} SET
    state = CASE WHEN attempts >= max_attempts THEN 'dead_letter' ELSE 'queued' END,
    finished_at = CASE WHEN attempts >= max_attempts THEN {Now} END,
    due_at = NULL,
    last_error = 'the lease of process ' || holder_pid || ' expired at ' || to_char(lease_expires AT TIME ZONE 'UTC', 'YYYY-MM-DD""T""HH24:MI:SS.MS""+00:00""'),
    {ClearLease}
WHERE state = 'claimed' AND lease_expires <= {Now};
SELECT item_id, lease_token, holder_pid, coalesce(holder_start, 0) FROM {_table}
WHERE state = 'claimed' AND holder_host = @host AND NOT (holder_pid = @pid AND coalesce(holder_start, 0) = @start);
{ClaimSql}",
                connection))
            {
                AddClaim(command, holder, lease, count, token);
                command.Parameters.AddWithValue("host", LeaseHolder.ThisHost);
                using NpgsqlDataReader reader = command.ExecuteReader();
                while (reader.FieldCount == 0 && reader.NextResult())
                {
                    // Past the UPDATE's result, to the SELECT's rows.
                }

                while (reader.Read())
                {
                    mine.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3)));
                }

                reader.NextResult();
                ReadClaimed(reader, claimed, corrupt);
            }

            bool returned = false;
            var verdicts = new Dictionary<(int, long), bool>();
            foreach ((string id, string held, int pid, long start) in mine)
            {
                if (!verdicts.TryGetValue((pid, start), out bool dead))
                {
                    dead = _isDead(new LeaseHolder(pid, start == 0 ? (DateTimeOffset?)null : new DateTimeOffset(start, TimeSpan.Zero), LeaseHolder.ThisHost));
                    verdicts[(pid, start)] = dead;
                }

                if (dead)
                {
                    ReturnClaim(connection, id, held, WorkItemRules.HolderDied(pid), toDead: null);
                    returned = true;
                }
            }

            foreach ((string id, string held, string reason) in corrupt)
            {
                // Nothing can ever work on it: a dead letter with the reason, and on to the next item.
                ReturnClaim(connection, id, held, reason, toDead: true);
            }

            return claimed.Count == 0 && (returned || corrupt.Count > 0) ? ClaimNext(connection, holder, lease, count, token) : InClaimOrder(claimed);
        }

        /// <summary>
        /// Ends a claim with <paramref name="error"/>: to the dead letters when <paramref name="toDead"/> says so (null:
        /// when its attempts are used up), else back to the queue, due at once. The token must still be the claim's.
        /// </summary>
        private void ReturnClaim(NpgsqlConnection connection, string id, string token, string error, bool? toDead)
        {
            _gateway.Interrupt?.Invoke(OneTripStage.BetweenTrips);
            string dead = toDead == null ? "attempts >= max_attempts" : toDead.Value ? "true" : "false";
            using var command = new NpgsqlCommand(
                $@"UPDATE {_table} SET
    state = CASE WHEN {dead} THEN 'dead_letter' ELSE 'queued' END,
    finished_at = CASE WHEN {dead} THEN {Now} END,
    due_at = NULL, last_error = @error, {ClearLease}
WHERE item_id = @id AND state = 'claimed' AND lease_token = @token", connection);
            AddNow(command);
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("token", token);
            command.Parameters.AddWithValue("error", error);
            command.ExecuteNonQuery();
        }

        /// <summary>Up to <paramref name="count"/> due items in claim order, claimed for <paramref name="holder"/>; empty when none is due.</summary>
        private List<WorkItem> ClaimNext(NpgsqlConnection connection, LeaseHolder holder, TimeSpan lease, int count, string token)
        {
            while (true)
            {
                _gateway.Interrupt?.Invoke(OneTripStage.BetweenTrips);
                var claimed = new List<WorkItem>();
                var corrupt = new List<(string Id, string Token, string Reason)>();
                using (var command = new NpgsqlCommand(ClaimSql, connection))
                {
                    AddClaim(command, holder, lease, count, token);
                    using NpgsqlDataReader reader = command.ExecuteReader();
                    ReadClaimed(reader, claimed, corrupt);
                }

                foreach ((string id, string held, string reason) in corrupt)
                {
                    ReturnClaim(connection, id, held, reason, toDead: true);
                }

                if (claimed.Count > 0 || corrupt.Count == 0)
                {
                    return InClaimOrder(claimed);
                }
            }
        }

        /// <summary>The claimed rows a reader holds: items, and apart the rows whose document is not an item's content.</summary>
        private void ReadClaimed(NpgsqlDataReader reader, List<WorkItem> claimed, List<(string Id, string Token, string Reason)> corrupt)
        {
            while (reader.Read())
            {
                try
                {
                    claimed.Add(ReadItem(reader, withContent: true));
                }
                catch (InvalidDataException ex)
                {
                    corrupt.Add((reader.GetString(0), reader.GetString(7), ex.Message));
                }
            }
        }

        private static List<WorkItem> InClaimOrder(List<WorkItem> items)
        {
            items.Sort((a, b) => a.Priority != b.Priority ? b.Priority.CompareTo(a.Priority) : a.Sequence.CompareTo(b.Sequence));
            return items;
        }

        /// <summary>
        /// Claims the first due rows in claim order, skipping rows other claimers hold locked (the partial index serves the
        /// order). Each row's token is the claim's with the row's sequence after it, so each lease has its own and one
        /// read finds them all. The ids are taken first as an array, so that the rows are then found by their key.
        /// </summary>
        private string ClaimSql => $@"UPDATE {_table} SET state = 'claimed', attempts = attempts + 1, due_at = NULL, lease_token = @token || '.' || seq, lease_expires = {Now} + @lease,
    holder_host = @holder_host, holder_pid = @pid, holder_start = @start
WHERE item_id = ANY (ARRAY(
    SELECT item_id FROM {_table}
    WHERE state = 'queued' AND (due_at IS NULL OR due_at <= {Now})
    ORDER BY priority DESC, seq
    LIMIT @count
    FOR UPDATE SKIP LOCKED))
  AND state = 'queued'
RETURNING {Row}";

        private void AddClaim(NpgsqlCommand command, LeaseHolder holder, TimeSpan lease, int count, string token)
        {
            AddNow(command);
            command.Parameters.AddWithValue("count", count);
            command.Parameters.AddWithValue("token", token);
            command.Parameters.AddWithValue("lease", lease);
            command.Parameters.AddWithValue("holder_host", holder.HostHash);
            command.Parameters.AddWithValue("pid", holder.ProcessId);
            command.Parameters.AddWithValue("start", holder.StartTime?.UtcTicks ?? 0L);
        }

        private static string NewToken() => Guid.NewGuid().ToString("n").Substring(0, 16);

        /// <summary>
        /// How long until something here could become claimable without a notification: the next not-before time or
        /// lease expiry, and, while another process on this host holds a claim, a second (its death notifies nobody; the
        /// waiter's own claims cannot die while it waits).
        /// </summary>
        private TimeSpan? NextChange(NpgsqlConnection connection, LeaseHolder holder)
        {
            using var command = new NpgsqlCommand(
                $@"SELECT extract(epoch FROM least(
    (SELECT min(due_at) FROM {_table} WHERE state = 'queued' AND due_at > {Now}),
    (SELECT min(lease_expires) FROM {_table} WHERE state = 'claimed')) - {Now})::float8,
  EXISTS (SELECT 1 FROM {_table} WHERE state = 'claimed' AND holder_host = @host AND NOT (holder_pid = @pid AND coalesce(holder_start, 0) = @start))",
                connection);
            AddNow(command);
            command.Parameters.AddWithValue("host", LeaseHolder.ThisHost);
            command.Parameters.AddWithValue("pid", holder.ProcessId);
            command.Parameters.AddWithValue("start", holder.StartTime?.UtcTicks ?? 0L);
            using NpgsqlDataReader reader = command.ExecuteReader();
            reader.Read();
            TimeSpan? next = reader.IsDBNull(0) ? (TimeSpan?)null : TimeSpan.FromSeconds(Math.Max(0.01, reader.GetDouble(0)));
            if (reader.GetBoolean(1) && (next == null || next > TimeSpan.FromSeconds(1)))
            {
                next = TimeSpan.FromSeconds(1);
            }

            return next;
        }

        /// <summary>Waits for the listener's notification up to <paramref name="nap"/>; returns the listener to go on with (null when it broke).</summary>
        private static QueueListener? Nap(QueueListener? listener, TimeSpan nap, CancellationToken cancellation)
        {
            if (listener != null)
            {
                listener.Wait(nap, cancellation, out bool broken);
                if (!broken)
                {
                    return listener;
                }

                listener.Dispose();
            }

            // No listener (the server is away): look again soon, never sooner than a pause that spares a restarting server.
            cancellation.WaitHandle.WaitOne(nap < TimeSpan.FromMilliseconds(250) ? nap : TimeSpan.FromMilliseconds(250));
            cancellation.ThrowIfCancellationRequested();
            return null;
        }

        private WorkItemState? StateOf(NpgsqlConnection connection, NpgsqlTransaction? transaction, string id)
        {
            using var command = new NpgsqlCommand($"SELECT state FROM {_table} WHERE item_id = @id", connection, transaction);
            command.Parameters.AddWithValue("id", id);
            return command.ExecuteScalar() is string state ? ParseState(state) : (WorkItemState?)null;
        }

        private void AddNow(NpgsqlCommand command) =>
            command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = _clock == null ? DBNull.Value : _clock().UtcDateTime });

        private static NpgsqlParameter Time(string name, DateTimeOffset? value) =>
            new NpgsqlParameter(name, NpgsqlDbType.TimestampTz) { Value = value is DateTimeOffset time ? time.UtcDateTime : DBNull.Value };

        private static WorkItemState ParseState(string state) => state switch
        {
            "queued" => WorkItemState.Queued,
            "claimed" => WorkItemState.Claimed,
            "completed" => WorkItemState.Completed,
            "dead_letter" => WorkItemState.DeadLetter,
            _ => throw new InvalidDataException($"A work item row has the unknown state '{state}'."),
        };

        private static string StateText(WorkItemState state) => state switch
        {
            WorkItemState.Queued => "queued",
            WorkItemState.Claimed => "claimed",
            WorkItemState.Completed => "completed",
            _ => "dead_letter",
        };

        /// <summary>An item from a row of <see cref="Row"/>; its content (payload, maximum, enqueued time, last error) only when asked.</summary>
        /// <exception cref="InvalidDataException">The row's document is not an item's content.</exception>
        private WorkItem ReadItem(NpgsqlDataReader reader, bool withContent)
        {
            string id = reader.GetString(0);
            WorkItemState state = ParseState(reader.GetString(3));
            var item = new WorkItem(Location, id, state, reader.GetInt64(1), reader.GetInt32(2), reader.GetInt32(4))
            {
                Path = Location + "#" + id,
            };
            if (state == WorkItemState.Queued && !reader.IsDBNull(6))
            {
                item.NotBefore = Instant(reader, 6);
            }

            if (state == WorkItemState.Claimed)
            {
                item.LeaseToken = reader.GetString(7);
                item.LeaseExpires = Instant(reader, 8);
                item.HolderProcessId = reader.GetInt32(9);
            }

            if (withContent)
            {
                WorkItemContent.Read(item, Encoding.UTF8.GetBytes(reader.GetString(11)));
                item.PayloadJson = reader.GetString(12);
                item.MaxAttempts = reader.GetInt32(5);
                item.LastError = reader.IsDBNull(10) ? null : reader.GetString(10);
            }

            return item;
        }

        private static DateTimeOffset Instant(NpgsqlDataReader reader, int column) =>
            new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(column), DateTimeKind.Utc), TimeSpan.Zero);

        /// <summary>
        /// Checks the schema once per queue object. Reads never create it (a missing queue is a clear error, as a folder
        /// that was never created is); enqueue and claim create or migrate it when the store was opened to initialize.
        /// </summary>
        private void EnsureReady(bool create)
        {
            lock (_readyGate)
            {
                if (_ready)
                {
                    return;
                }

                int version = _gateway.InTransaction("open the work queue", (connection, transaction) => PostgresSchema.CurrentVersion(connection, transaction, Schema));
                if (version > PostgresSchema.Latest)
                {
                    throw PostgresSchema.NewerThanModule(Schema, version);
                }

                if (version < PostgresSchema.Latest)
                {
                    string hint = $"run 'agentstate db init --store <connection>', or set ${StoreOpenOptions.InitializeVariable}=1 (--init on the CLI) to create it on first use";
                    if (version == 0 && (!create || !_initialize))
                    {
                        throw new DirectoryNotFoundException($"The work queue '{Location}' does not exist: the database has no schema '{Schema}' with AgentState's tables; {hint}.");
                    }

                    if (!_initialize)
                    {
                        throw new StoreSchemaException($"The schema '{Schema}' of '{Location}' is at version {version}; the work queue needs {PostgresSchema.Latest}: {hint}.");
                    }

                    _gateway.InTransaction($"initialize the schema '{Schema}'", (connection, transaction) => PostgresSchema.Migrate(connection, transaction, Schema), PostgresSchema.LockName(Schema));
                }

                _ready = true;
            }
        }
    }
}
