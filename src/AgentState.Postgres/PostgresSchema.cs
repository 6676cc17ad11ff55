using System;
using System.Collections.Generic;
using System.Linq;
using AgentState.Stores;
using Npgsql;

namespace AgentState.Postgres
{
    /// <summary>
    /// The store's tables in a schema of their own, created and migrated by numbered steps recorded in
    /// <c>schema_version</c>. Steps only ever get added; a database newer than this module is refused, not touched.
    /// </summary>
    internal static class PostgresSchema
    {
        private static readonly (int Version, string Description, string Sql)[] Steps =
        {
            (1, "agent_state: jsonb records with indexed status, type, timestamps and liveness", @"
CREATE TABLE {0}.agent_state (
    agent_id     text PRIMARY KEY,
    doc          jsonb NOT NULL,
    status       text,
    agent_type   text,
    incomplete   boolean NOT NULL,
    finished     boolean NOT NULL,
    created_at   timestamptz,
    last_updated timestamptz,
    began_at     timestamptz,
    finished_at  timestamptz,
    host         text,
    pid          integer,
    heartbeat    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_state_file_order ON {0}.agent_state (((agent_id || '.json') COLLATE ""C""));
CREATE INDEX agent_state_status ON {0}.agent_state (status);
CREATE INDEX agent_state_type ON {0}.agent_state (agent_type);
CREATE INDEX agent_state_incomplete ON {0}.agent_state (began_at, agent_id) WHERE incomplete;
CREATE INDEX agent_state_finished ON {0}.agent_state (finished_at) WHERE finished;
CREATE INDEX agent_state_last_updated ON {0}.agent_state (last_updated);
CREATE INDEX agent_state_liveness ON {0}.agent_state (host, heartbeat);
"),
            // The queue's items. The trigger notifies in the transaction that makes an item queued, whoever makes the change
            // (an enqueue, a claim's sweep, a fail, another version of this module), so that waiting claims LISTENing wake
            // when it commits. Nothing else notifies: PostgreSQL commits transactions that NOTIFY one at a time, so claims
            // and completions stay free of it (capacity waits look again instead). The hot path keeps few indexes: every
            // claim and completion changes the state, so each update writes a new entry into each index that covers the row.
            // The payload's own text is kept beside the jsonb, which keeps neither key order nor spacing.
            (2, "work_queue: jsonb items with indexed state, priority, sequence, due time, lease and holder", @"
CREATE TABLE {0}.work_queue (
    item_id       text PRIMARY KEY,
    seq           bigint GENERATED ALWAYS AS IDENTITY,
    priority      integer NOT NULL CHECK (priority BETWEEN 0 AND 999),
    state         text NOT NULL CHECK (state IN ('queued', 'claimed', 'completed', 'dead_letter')),
    attempts      integer NOT NULL DEFAULT 0,
    max_attempts  integer NOT NULL CHECK (max_attempts >= 1),
    due_at        timestamptz,
    lease_token   text,
    lease_expires timestamptz,
    holder_host   text,
    holder_pid    integer,
    holder_start  bigint,
    last_error    text,
    finished_at   timestamptz,
    doc           jsonb NOT NULL,
    payload       text NOT NULL
);
CREATE INDEX work_queue_claim_order ON {0}.work_queue (priority DESC, seq) WHERE state = 'queued';
CREATE INDEX work_queue_due ON {0}.work_queue (due_at) WHERE state = 'queued' AND due_at IS NOT NULL;
CREATE INDEX work_queue_leases ON {0}.work_queue (lease_expires) WHERE state = 'claimed';
CREATE INDEX work_queue_holders ON {0}.work_queue (holder_host, holder_pid) WHERE state = 'claimed';
CREATE INDEX work_queue_state ON {0}.work_queue (state, seq);
CREATE FUNCTION {0}.work_queue_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(left('agentstate_queue_' || TG_TABLE_SCHEMA, 63), 'item');
    RETURN NULL;
END
$$;
CREATE TRIGGER work_queue_notify AFTER INSERT OR UPDATE OF state, due_at ON {0}.work_queue
    FOR EACH ROW WHEN (NEW.state = 'queued') EXECUTE FUNCTION {0}.work_queue_notify();
"),
        };

        /// <summary>The version this module reads and writes.</summary>
        public static int Latest => Steps[Steps.Length - 1].Version;

        /// <summary>The schema's version: 0 when it has none (not created).</summary>
        public static int CurrentVersion(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema)
        {
            using var exists = new NpgsqlCommand("SELECT to_regclass(@t) IS NOT NULL", connection, transaction);
            exists.Parameters.AddWithValue("t", schema + ".schema_version");
            if (!(bool)exists.ExecuteScalar()!)
            {
                return 0;
            }

            using var version = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {schema}.schema_version", connection, transaction);
            return Convert.ToInt32(version.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>The advisory lock a migration runs under (<see cref="PostgresGateway.InTransaction"/>'s session lock), so that concurrent first uses wait for one another.</summary>
        public static string LockName(string schema) => "agentstate schema " + schema;

        /// <summary>Creates the schema or brings it to <see cref="Latest"/>; run it under <see cref="LockName"/>.</summary>
        /// <returns>What was done, in one line.</returns>
        public static string Migrate(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema)
        {
            int from = CurrentVersion(connection, transaction, schema);
            if (from > Latest)
            {
                throw NewerThanModule(schema, from);
            }

            Execute(connection, transaction, $@"CREATE SCHEMA IF NOT EXISTS {schema};
CREATE TABLE IF NOT EXISTS {schema}.schema_version (
    version     integer PRIMARY KEY,
    description text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);");
            List<(int Version, string Description, string Sql)> due = Steps.Where(step => step.Version > from).ToList();
            foreach ((int version, string description, string sql) in due)
            {
                Execute(connection, transaction, string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, schema));
                using var record = new NpgsqlCommand($"INSERT INTO {schema}.schema_version (version, description) VALUES (@v, @d)", connection, transaction);
                record.Parameters.AddWithValue("v", version);
                record.Parameters.AddWithValue("d", description);
                record.ExecuteNonQuery();
            }

            return due.Count == 0
                ? $"The schema '{schema}' is at version {Latest} already; nothing to do."
                : from == 0 ? $"Created the schema '{schema}' at version {Latest}." : $"Migrated the schema '{schema}' from version {from} to {Latest}.";
        }

        public static StoreSchemaException NewerThanModule(string schema, int version) =>
            new StoreSchemaException($"The schema '{schema}' is at version {version}, newer than this module knows ({Latest}): update AgentState before using this store.");

        private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
        {
            using var command = new NpgsqlCommand(sql, connection, transaction);
            command.ExecuteNonQuery();
        }
    }
}
