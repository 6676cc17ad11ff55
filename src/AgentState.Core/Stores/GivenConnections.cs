using System;
using System.Collections.Concurrent;

namespace AgentState.Stores
{
    /// <summary>
    /// The PostgreSQL connections this process was given, by the location the store reports for them. What a store
    /// emits carries its location without the password (so that output, logs and exported CSV never hold one); an item
    /// piped on in the same session names that location, and is opened here with the connection the user gave,
    /// password and options included, instead of depending on PGPASSWORD or ~/.pgpass. Kept in memory only.
    /// </summary>
    public static class GivenConnections
    {
        private static readonly ConcurrentDictionary<string, string> ByLocation = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);

        /// <summary>Notes that <paramref name="location"/> was opened from <paramref name="connection"/>; the newest wins.</summary>
        public static void Remember(string location, string connection)
        {
            if (string.IsNullOrEmpty(location) || string.IsNullOrEmpty(connection))
            {
                throw new ArgumentException("Both the location and the connection must be given.", string.IsNullOrEmpty(location) ? nameof(location) : nameof(connection));
            }

            // The location itself is no credential worth keeping: it would map to itself.
            if (!string.Equals(location, connection, StringComparison.Ordinal))
            {
                ByLocation[location] = connection;
            }
        }

        /// <summary>The connection <paramref name="text"/> was opened from when it is a location seen before, else <paramref name="text"/> as it is.</summary>
        public static string Recall(string text) =>
            text != null && ByLocation.TryGetValue(text.Trim(), out string? connection) ? connection : text!;
    }
}
