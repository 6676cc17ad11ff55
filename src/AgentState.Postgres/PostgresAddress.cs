using System;
using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;

namespace AgentState.Postgres
{
    /// <summary>
    /// A PostgreSQL store's address as the user gives it, a URI (<c>postgresql://user:pw@host:5432/db?schema=x</c>) or
    /// keywords (<c>Host=...;Database=...;Schema=x</c>), read into Npgsql's connection string and the schema name.
    /// </summary>
    internal sealed class PostgresAddress
    {
        /// <summary>The schema that holds the store's tables when none is named.</summary>
        public const string DefaultSchema = "agentstate";

        private static readonly Regex SchemaName = new Regex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant);

        private PostgresAddress(NpgsqlConnectionStringBuilder connection, string schema)
        {
            Connection = connection;
            Schema = schema;
        }

        /// <summary>What Npgsql connects with.</summary>
        public NpgsqlConnectionStringBuilder Connection { get; }

        /// <summary>The schema, a plain lower-case identifier (it is written into statements, so nothing else is accepted).</summary>
        public string Schema { get; }

        /// <summary>Where the store is, for messages and for records to carry: the URI form without the password.</summary>
        public string Location
        {
            get
            {
                string user = string.IsNullOrEmpty(Connection.Username) ? string.Empty : Uri.EscapeDataString(Connection.Username!) + "@";
                string host = Connection.Host ?? "localhost";
                bool socket = host.StartsWith("/", StringComparison.Ordinal);
                string database = Connection.Database ?? string.Empty;
                string query = "?schema=" + Schema + (socket ? "&host=" + Uri.EscapeDataString(host) : string.Empty);
                return $"postgresql://{user}{(socket ? string.Empty : host)}:{Connection.Port}/{Uri.EscapeDataString(database)}{query}";
            }
        }

        /// <summary>Reads the address; <paramref name="schemaOverride"/> wins over one named in it.</summary>
        /// <exception cref="ArgumentException">The text is not a connection string or URI Npgsql accepts, or the schema name is not plain.</exception>
        public static PostgresAddress Parse(string text, string? schemaOverride = null)
        {
            string? schema = null;
            NpgsqlConnectionStringBuilder builder;
            string trimmed = text.Trim();
            if (trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            {
                builder = FromUri(trimmed, ref schema);
            }
            else
            {
                var generic = new DbConnectionStringBuilder { ConnectionString = trimmed };
                if (generic.TryGetValue("schema", out object? named))
                {
                    schema = Convert.ToString(named, System.Globalization.CultureInfo.InvariantCulture);
                    generic.Remove("schema");
                }

                try
                {
                    builder = new NpgsqlConnectionStringBuilder(generic.ConnectionString);
                }
                catch (ArgumentException ex)
                {
                    throw new ArgumentException("The PostgreSQL connection string is not valid: " + ex.Message, "store", ex);
                }
            }

            schema = schemaOverride ?? schema ?? DefaultSchema;
            if (!SchemaName.IsMatch(schema))
            {
                throw new ArgumentException($"The schema name '{schema}' is not a plain lower-case identifier (letters, digits, _; at most 63).", "store");
            }

            // Unnamed connections are hard to find in pg_stat_activity when a coordinator misbehaves.
            if (string.IsNullOrEmpty(builder.ApplicationName))
            {
                builder.ApplicationName = "agentstate";
            }

            return new PostgresAddress(builder, schema);
        }

        private static NpgsqlConnectionStringBuilder FromUri(string text, ref string? schema)
        {
            // Read by hand, as libpq reads it: System.Uri refuses what libpq allows, such as no host at all
            // (postgresql://user@/db?host=/run/postgresql for a Unix socket) or several hosts (h1:5432,h2:5433).
            string rest = text.Substring(text.IndexOf("://", StringComparison.Ordinal) + 3);
            string query = string.Empty;
            int mark = rest.IndexOf('?');
            if (mark >= 0)
            {
                query = rest.Substring(mark + 1);
                rest = rest.Substring(0, mark);
            }

            string database = string.Empty;
            int slash = rest.IndexOf('/');
            if (slash >= 0)
            {
                database = rest.Substring(slash + 1);
                rest = rest.Substring(0, slash);
            }

            var builder = new NpgsqlConnectionStringBuilder();
            int at = rest.LastIndexOf('@');
            if (at >= 0)
            {
                string[] parts = rest.Substring(0, at).Split(new[] { ':' }, 2);
                builder.Username = Uri.UnescapeDataString(parts[0]);
                if (parts.Length > 1)
                {
                    builder.Password = Uri.UnescapeDataString(parts[1]);
                }

                rest = rest.Substring(at + 1);
            }

            if (rest.Length > 0)
            {
                int colon = rest.LastIndexOf(':');
                bool portGiven = rest.IndexOf(',') < 0 && colon > rest.LastIndexOf(']');
                if (portGiven)
                {
                    if (!int.TryParse(rest.Substring(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port))
                    {
                        throw new ArgumentException($"The PostgreSQL URI's port '{rest.Substring(colon + 1)}' is not a number.", "store");
                    }

                    builder.Port = port;
                    rest = rest.Substring(0, colon);
                }

                builder.Host = Uri.UnescapeDataString(rest.Trim('[', ']'));
            }

            if (database.Length > 0)
            {
                builder.Database = Uri.UnescapeDataString(database);
            }

            foreach (string pair in query.Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries))
            {
                string[] kv = pair.Split(new[] { '=' }, 2);
                string key = Uri.UnescapeDataString(kv[0]).ToLowerInvariant();
                string value = kv.Length > 1 ? Uri.UnescapeDataString(kv[1].Replace('+', ' ')) : string.Empty;
                switch (key)
                {
                    case "schema":
                        schema = value;
                        break;
                    case "host":
                        builder.Host = value; // a Unix socket's folder, as libpq takes it
                        break;
                    case "port":
                        builder.Port = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                        break;
                    case "user":
                        builder.Username = value;
                        break;
                    case "password":
                        builder.Password = value;
                        break;
                    case "dbname":
                        builder.Database = value;
                        break;
                    case "sslmode":
                        builder.SslMode = Enum.TryParse(value.Replace("-", string.Empty), ignoreCase: true, out SslMode mode)
                            ? mode
                            : throw new ArgumentException($"sslmode '{value}' is not one Npgsql knows.", "store");
                        break;
                    case "connect_timeout":
                        builder.Timeout = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                        break;
                    case "application_name":
                        builder.ApplicationName = value;
                        break;
                    default:
                        try
                        {
                            builder[key] = value; // Npgsql's own keywords (e.g. Command Timeout) pass through
                        }
                        catch (ArgumentException ex)
                        {
                            throw new ArgumentException($"The PostgreSQL URI's parameter '{key}' is not one this module or Npgsql knows.", "store", ex);
                        }

                        break;
                }
            }

            return builder;
        }
    }
}
