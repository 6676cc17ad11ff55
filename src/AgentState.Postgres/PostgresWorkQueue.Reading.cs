using System;
using System.Collections.Generic;
using AgentState.Queue;
using Npgsql;

namespace AgentState.Postgres
{
    /// <summary>Position, counts, listings and single items: reads that never create the queue.</summary>
    public sealed partial class PostgresWorkQueue
    {
        private const int ListBatch = 1000;

        /// <inheritdoc/>
        public WorkItemPosition Position(string id)
        {
            WorkItemRules.CheckId(id);
            EnsureReady(create: false);
            return _gateway.InTransaction($"find the position of '{id}'", (connection, transaction) =>
            {
                // Claim order is priority from the highest, then sequence: count the queued items that come first (items
                // not yet due included, as the folder queue counts them).
                using var command = new NpgsqlCommand(
                    $@"SELECT i.state, CASE WHEN i.state = 'queued' THEN (
    SELECT count(*) FROM {_table} q
    WHERE q.state = 'queued' AND (q.priority > i.priority OR (q.priority = i.priority AND q.seq < i.seq))) END
FROM {_table} i WHERE i.item_id = @id", connection, transaction);
                command.Parameters.AddWithValue("id", id);
                using NpgsqlDataReader reader = command.ExecuteReader();
                if (!reader.Read())
                {
                    throw new WorkItemNotFoundException(Location, id);
                }

                WorkItemState state = ParseState(reader.GetString(0));
                return new WorkItemPosition(Location, id, state, reader.IsDBNull(1) ? (int?)null : (int)reader.GetInt64(1) + 1);
            });
        }

        /// <inheritdoc/>
        public IReadOnlyDictionary<WorkItemState, int> Count()
        {
            EnsureReady(create: false);
            return _gateway.InTransaction("count the work items", (connection, transaction) =>
            {
                var counts = new Dictionary<WorkItemState, int>
                {
                    [WorkItemState.Queued] = 0,
                    [WorkItemState.Claimed] = 0,
                    [WorkItemState.Completed] = 0,
                    [WorkItemState.DeadLetter] = 0,
                };
                using var command = new NpgsqlCommand($"SELECT state, count(*) FROM {_table} GROUP BY state", connection, transaction);
                using NpgsqlDataReader reader = command.ExecuteReader();
                while (reader.Read())
                {
                    counts[ParseState(reader.GetString(0))] = (int)reader.GetInt64(1);
                }

                return (IReadOnlyDictionary<WorkItemState, int>)counts;
            });
        }

        /// <inheritdoc/>
        public IEnumerable<WorkItem> List(WorkItemState? state = null, bool readContent = true)
        {
            EnsureReady(create: false);
            return ListStates(state, readContent);
        }

        private IEnumerable<WorkItem> ListStates(WorkItemState? state, bool readContent)
        {
            foreach (WorkItemState s in new[] { WorkItemState.Queued, WorkItemState.Claimed, WorkItemState.Completed, WorkItemState.DeadLetter })
            {
                if (state != null && state != s)
                {
                    continue;
                }

                // Keyset pages, each its own short transaction, in claim order for queued items and sequence otherwise:
                // no connection or snapshot is held while the caller works on a page.
                bool queued = s == WorkItemState.Queued;
                string order = queued ? "priority DESC, seq" : "seq";
                string after = queued ? "(priority < @p OR (priority = @p AND seq > @s))" : "seq > @s";
                int lastPriority = int.MaxValue;
                long lastSequence = 0;
                while (true)
                {
                    List<WorkItem> page = _gateway.InTransaction("list the work items", (connection, transaction) =>
                    {
                        using var command = new NpgsqlCommand(
                            $"SELECT {Row} FROM {_table} WHERE state = @state AND {after} ORDER BY {order} LIMIT {ListBatch}", connection, transaction);
                        command.Parameters.AddWithValue("state", StateText(s));
                        command.Parameters.AddWithValue("p", lastPriority);
                        command.Parameters.AddWithValue("s", lastSequence);
                        var items = new List<WorkItem>();
                        using NpgsqlDataReader reader = command.ExecuteReader();
                        while (reader.Read())
                        {
                            items.Add(ReadItem(reader, readContent));
                        }

                        return items;
                    });

                    foreach (WorkItem item in page)
                    {
                        yield return item;
                    }

                    if (page.Count < ListBatch)
                    {
                        break;
                    }

                    lastPriority = page[page.Count - 1].Priority;
                    lastSequence = page[page.Count - 1].Sequence;
                }
            }
        }

        /// <inheritdoc/>
        public WorkItem Get(string id)
        {
            WorkItemRules.CheckId(id);
            EnsureReady(create: false);
            return _gateway.InTransaction($"read the work item '{id}'", (connection, transaction) =>
            {
                using var command = new NpgsqlCommand($"SELECT {Row} FROM {_table} WHERE item_id = @id", connection, transaction);
                command.Parameters.AddWithValue("id", id);
                using NpgsqlDataReader reader = command.ExecuteReader();
                return reader.Read() ? ReadItem(reader, withContent: true) : throw new WorkItemNotFoundException(Location, id);
            });
        }
    }
}
