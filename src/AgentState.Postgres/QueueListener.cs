using System;
using System.Threading;
using Npgsql;

namespace AgentState.Postgres
{
    /// <summary>
    /// A connection of its own that LISTENs on a work queue's channel while a claim waits. The queue's trigger notifies
    /// <c>item</c> in the transaction that makes an item queued (one may be claimable now), so a waiter wakes when that
    /// commits instead of polling. It is started before the waiter looks, so that nothing committed between the look and
    /// the wait is missed.
    /// </summary>
    internal sealed class QueueListener : IDisposable
    {
        // The longest a single wait blocks before looking at the caller's cancellation again.
        private static readonly TimeSpan CancellationCheck = TimeSpan.FromMilliseconds(200);

        private readonly NpgsqlConnection _connection;
        private readonly string _channel;
        private volatile bool _heard;

        private QueueListener(NpgsqlConnection connection, string channel)
        {
            _connection = connection;
            _channel = channel;
            _connection.Notification += (_, e) =>
            {
                if (e.Channel == _channel && e.Payload == "item")
                {
                    _heard = true;
                }
            };
        }

        /// <summary>The channel the queue in <paramref name="schema"/> notifies on (what its trigger computes: names are at most 63 bytes).</summary>
        public static string Channel(string schema)
        {
            string name = "agentstate_queue_" + schema;
            return name.Length > 63 ? name.Substring(0, 63) : name;
        }

        /// <summary>
        /// Listens for <c>item</c> on <paramref name="channel"/>; null when no connection could be had (the
        /// waiter then looks again at intervals, and its own work reports the server's failure).
        /// </summary>
        public static QueueListener? TryStart(PostgresGateway gateway, string channel)
        {
            NpgsqlConnection? connection = null;
            try
            {
                connection = gateway.OpenConnection();
                var listener = new QueueListener(connection, channel);
                using (var command = new NpgsqlCommand("LISTEN \"" + channel + "\"", connection))
                {
                    command.ExecuteNonQuery();
                }

                return listener;
            }
            catch (Exception ex) when (PostgresGateway.IsConnectionFailure(ex) || ex is NpgsqlException)
            {
                connection?.Dispose();
                return null;
            }
        }

        /// <summary>
        /// Waits up to <paramref name="timeout"/> for the notification; true when it came (or had come since the last
        /// wait). False at the timeout, or when the connection broke (the caller then starts a new listener).
        /// </summary>
        public bool Wait(TimeSpan timeout, CancellationToken cancellation, out bool broken)
        {
            broken = false;
            DateTime until = DateTime.UtcNow + timeout;
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                if (_heard)
                {
                    _heard = false;
                    return true;
                }

                TimeSpan left = until - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    return false;
                }

                try
                {
                    // Returns as soon as any message arrives; the handler above says whether it was ours.
                    _connection.Wait(Math.Max(1, (int)Math.Ceiling((left < CancellationCheck ? left : CancellationCheck).TotalMilliseconds)));
                }
                catch (Exception ex) when (PostgresGateway.IsConnectionFailure(ex) || ex is NpgsqlException || ex is System.IO.IOException)
                {
                    broken = true;
                    return false;
                }
            }
        }

        public void Dispose()
        {
            try
            {
                if (_connection.State == System.Data.ConnectionState.Open)
                {
                    // The pool keeps the connection: it must not go on listening for its next user.
                    using var command = new NpgsqlCommand("UNLISTEN *", _connection);
                    command.ExecuteNonQuery();
                }
            }
            catch (Exception ex) when (ex is NpgsqlException || ex is InvalidOperationException || ex is System.IO.IOException)
            {
                // A broken connection is dropped by the pool, listening or not.
            }

            _connection.Dispose();
        }
    }
}
