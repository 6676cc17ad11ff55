using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using AgentState.Stores;
using Npgsql;

namespace AgentState.Postgres
{
    /// <summary>
    /// Runs a store's work in one transaction each, and is the one place that decides about failures: before the commit
    /// is sent, a lost connection, a timeout or a server restart means nothing was committed, so the work is done again
    /// on a new connection until <see cref="RetryFor"/> runs out; once the commit is sent, a lost connection leaves the
    /// outcome unknown and is reported as such, never retried.
    /// </summary>
    internal sealed class PostgresGateway
    {
        // One pool per connection string for the life of the process: cmdlets open a store per call.
        private static readonly ConcurrentDictionary<string, NpgsqlDataSource> Sources = new ConcurrentDictionary<string, NpgsqlDataSource>(StringComparer.Ordinal);

        private readonly NpgsqlDataSource _source;
        private readonly Action<string>? _retrying;

        public PostgresGateway(PostgresAddress address, TimeSpan? retryFor = null, Action<string>? retrying = null)
        {
            Address = address;
            RetryFor = retryFor ?? TimeSpan.FromSeconds(30);
            _retrying = retrying;
            _source = Sources.GetOrAdd(address.Connection.ConnectionString, text => NpgsqlDataSource.Create(WithDefaults(text)));
        }

        public PostgresAddress Address { get; }

        /// <summary>How long work that certainly did not commit is tried again before the failure is reported.</summary>
        public TimeSpan RetryFor { get; }

        /// <summary>A connection of the store's pool for work outside a transaction (a LISTEN that waits); the caller disposes it.</summary>
        public NpgsqlConnection OpenConnection() => _source.OpenConnection();

        /// <summary>Runs <paramref name="work"/> in a transaction and commits it.</summary>
        /// <param name="what">What the work does, for messages ("update the agent 'a1'").</param>
        /// <param name="work">The work; an exception from it rolls the transaction back and is passed on (retried only when it is a connection failure).</param>
        /// <param name="sessionLock">
        /// When given, an advisory lock of that name is held around the transaction: taken before it begins, so that the
        /// transaction sees the catalog as the previous holder left it (schema migrations).
        /// </param>
        public T InTransaction<T>(string what, Func<NpgsqlConnection, NpgsqlTransaction, T> work, string? sessionLock = null)
        {
            DateTime deadline = DateTime.UtcNow + RetryFor;
            TimeSpan pause = TimeSpan.FromMilliseconds(50);
            while (true)
            {
                bool commitSent = false;
                try
                {
                    using NpgsqlConnection connection = _source.OpenConnection();
                    try
                    {
                        // Inside the try: a lock granted to a call that then failed is let go too (unlocking one not held is a no-op),
                        // since the connection goes back to the pool without a reset.
                        if (sessionLock != null)
                        {
                            Advisory(connection, "pg_advisory_lock", sessionLock);
                        }

                        using NpgsqlTransaction transaction = connection.BeginTransaction();
                        T result = work(connection, transaction);
                        commitSent = true;
                        transaction.Commit();
                        return result;
                    }
                    finally
                    {
                        if (sessionLock != null && connection.State == System.Data.ConnectionState.Open)
                        {
                            Advisory(connection, "pg_advisory_unlock", sessionLock);
                        }
                    }
                }
                catch (Exception ex) when (IsConnectionFailure(ex))
                {
                    if (commitSent)
                    {
                        throw new StoreUnavailableException(
                            $"The PostgreSQL store '{Address.Location}' stopped answering while committing ({Describe(ex)}), so it is not known whether it did {what}. Read the record before doing it again.",
                            outcomeUnknown: true, ex);
                    }

                    if (DateTime.UtcNow + pause > deadline)
                    {
                        throw NothingChanged(what, ex);
                    }

                    _retrying?.Invoke(NothingCommittedRetry(what, ex, pause));
                    PauseBeforeRetry(ref pause);
                }
            }
        }

        /// <summary>
        /// For tests: called by <see cref="InOneTrip"/> (and by the work between its trips) at each <see cref="OneTripStage"/>.
        /// What it throws stands for the connection failing at that point.
        /// </summary>
        internal Action<OneTripStage>? Interrupt { get; set; }

        /// <summary>
        /// Runs <paramref name="work"/> as one round trip that commits by itself (no BEGIN and COMMIT around it: the
        /// statements of one command run in one implicit transaction), which halves the trips of a one-statement change.
        /// The price: when the connection is lost after the statements were sent, they may or may not have committed. A
        /// server's error (a shutdown, a deadlock) answering the only trip means it did not, and it is run again. For any
        /// other loss, the server process that ran the work is ended first (it may still be running it, its client gone),
        /// then <paramref name="readBack"/> asks a new connection whether the change is there (an operation that can say
        /// so from the row, as a claim can by its lease token): committed, its result is returned; not, the work is run again.
        /// </summary>
        /// <param name="what">What the work does, for messages ("complete the work item 'a'").</param>
        /// <param name="work">The statements, run on a connection without a transaction; later statements on the same connection commit each by itself.</param>
        /// <param name="readBack">Whether the work's change is in the database, and the work's result if so.</param>
        /// <param name="severalTrips">
        /// The work may make more than one trip, each committing by itself: a server's error then proves nothing about the
        /// trips before it, and every failure after sending is settled by <paramref name="readBack"/>.
        /// </param>
        public T InOneTrip<T>(string what, Func<NpgsqlConnection, T> work, Func<NpgsqlConnection, (bool Committed, T Result)> readBack, bool severalTrips = false)
        {
            DateTime deadline = DateTime.UtcNow + RetryFor;
            TimeSpan pause = TimeSpan.FromMilliseconds(50);
            bool unknown = false;
            int lostBackend = 0;
            while (true)
            {
                bool sent = false;
                int backend = 0;
                try
                {
                    using NpgsqlConnection connection = _source.OpenConnection();
                    if (unknown)
                    {
                        Interrupt?.Invoke(OneTripStage.BeforeReadBack);
                        EndBackend(connection, lostBackend, deadline);
                        (bool committed, T result) = readBack(connection);
                        if (committed)
                        {
                            return result;
                        }

                        unknown = false;
                    }

                    Interrupt?.Invoke(OneTripStage.BeforeSend);
                    backend = connection.ProcessID;
                    sent = true;
                    T done = work(connection);
                    Interrupt?.Invoke(OneTripStage.AfterReply);
                    return done;
                }
                catch (Exception ex) when (IsConnectionFailure(ex))
                {
                    // An error the server sent ended the implicit transaction of the trip it answered: nothing of that trip
                    // committed, and with one trip nothing at all.
                    if (sent && (severalTrips || !(ex is PostgresException)))
                    {
                        unknown = true;
                        lostBackend = backend;
                    }

                    if (DateTime.UtcNow + pause > deadline)
                    {
                        throw unknown
                            ? new StoreUnavailableException(
                                $"The PostgreSQL store '{Address.Location}' stopped answering ({Describe(ex)}) and did not answer again for {RetryFor.TotalSeconds:0} s, so it is not known whether it did {what}. Read the record before doing it again.",
                                outcomeUnknown: true, ex)
                            : NothingChanged(what, ex);
                    }

                    _retrying?.Invoke(unknown
                        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The PostgreSQL store '{Address.Location}' stopped answering ({Describe(ex)}) after being asked to {what}; looking in {pause.TotalSeconds:0.##} s whether it did, and doing it again if not.")
                        : NothingCommittedRetry(what, ex, pause));
                    PauseBeforeRetry(ref pause);
                }
            }
        }

        /// <summary>
        /// Ends the server process <paramref name="pid"/> (one of this role's on this database: the one whose client lost
        /// it) and waits until it is gone, so that what it was running has committed or rolled back before anyone looks.
        /// After a server restart it is gone already. It is not waited for past <paramref name="deadline"/>.
        /// </summary>
        private static void EndBackend(NpgsqlConnection connection, int pid, DateTime deadline)
        {
            if (pid == 0 || pid == connection.ProcessID)
            {
                // Nothing was sent, or the pool handed back the very connection, idle: nothing of it is still running.
                return;
            }

            using (var end = new NpgsqlCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = @pid AND usename = current_user AND datname = current_database() AND pid <> pg_backend_pid()",
                connection))
            {
                end.Parameters.AddWithValue("pid", pid);
                end.ExecuteNonQuery();
            }

            using var gone = new NpgsqlCommand("SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = @pid)", connection);
            gone.Parameters.AddWithValue("pid", pid);
            TimeSpan wait = TimeSpan.FromMilliseconds(5);
            while (!(bool)gone.ExecuteScalar()! && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(wait);
                wait = TimeSpan.FromMilliseconds(Math.Min(wait.TotalMilliseconds * 2, 100));
            }
        }

        /// <summary>
        /// The connection string the pool is made with: Npgsql prepares a statement once it has been used a few times
        /// (<c>Max Auto Prepare</c>), and a pooled connection is handed on without <c>DISCARD ALL</c> (<c>No Reset On
        /// Close</c>), which would drop those statements; together they halve the server's work per queue operation. The
        /// store leaves nothing behind on a connection (its locks and LISTENs end before the connection goes back). Either
        /// is left as the connection string gives it (<c>Max Auto Prepare=0</c> behind a pooler that cannot keep prepared
        /// statements).
        /// </summary>
        internal static string WithDefaults(string connectionString)
        {
            var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = new NpgsqlConnectionStringBuilder(connectionString).ConnectionString };
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (!given.ContainsKey("Max Auto Prepare"))
            {
                builder.MaxAutoPrepare = 32;
            }

            if (!given.ContainsKey("No Reset On Close"))
            {
                builder.NoResetOnClose = true;
            }

            return builder.ConnectionString;
        }

        /// <summary>
        /// A failure of the connection or the server rather than of the work: the transaction it interrupted was rolled
        /// back by the server (or never began).
        /// </summary>
        internal static bool IsConnectionFailure(Exception ex)
        {
            switch (ex)
            {
                case PostgresException postgres:
                    // 08: connection exceptions; 57P01-57P03: the server shutting down or starting; 40001/40P01: the server
                    // chose this transaction to roll back.
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState == PostgresErrorCodes.AdminShutdown
                        || postgres.SqlState == PostgresErrorCodes.CrashShutdown
                        || postgres.SqlState == PostgresErrorCodes.CannotConnectNow
                        || postgres.SqlState == PostgresErrorCodes.SerializationFailure
                        || postgres.SqlState == PostgresErrorCodes.DeadlockDetected;
                // Only Npgsql's own: the work's exceptions (AgentStateExistsException is an IOException too) pass on untouched.
                case NpgsqlException npgsql:
                    return npgsql.IsTransient || npgsql.InnerException is IOException || npgsql.InnerException is SocketException || npgsql.InnerException is TimeoutException;
                case InvalidOperationException invalid when invalid.Source == "Npgsql":
                    // Npgsql reports a connection it found broken mid-work this way.
                    return invalid.Message.IndexOf("broken", StringComparison.OrdinalIgnoreCase) >= 0;
                default:
                    return false;
            }
        }

        private static void Advisory(NpgsqlConnection connection, string function, string name)
        {
            using var command = new NpgsqlCommand($"SELECT {function}(hashtext(@key))", connection);
            command.Parameters.AddWithValue("key", name);
            command.ExecuteNonQuery();
        }

        private StoreUnavailableException NothingChanged(string what, Exception ex) => new StoreUnavailableException(
            $"Cannot {what}: the PostgreSQL store '{Address.Location}' did not answer for {RetryFor.TotalSeconds:0} s ({Describe(ex)}). Nothing was changed.",
            outcomeUnknown: false, ex);

        private string NothingCommittedRetry(string what, Exception ex, TimeSpan pause) =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The PostgreSQL store '{Address.Location}' did not answer ({Describe(ex)}); nothing was committed, so trying to {what} again in {pause.TotalSeconds:0.##} s.");

        /// <summary>Waits <paramref name="pause"/> before the next try, doubling it up to a second for the one after.</summary>
        private void PauseBeforeRetry(ref TimeSpan pause)
        {
            // Connections the pool kept from before a restart are dead: drop them rather than meet them one by one.
            _source.Clear();
            Thread.Sleep(pause);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 1000));
        }

        private static string Describe(Exception ex) => ex is PostgresException postgres ? $"{postgres.SqlState}: {postgres.MessageText}" : ex.Message;
    }
}
