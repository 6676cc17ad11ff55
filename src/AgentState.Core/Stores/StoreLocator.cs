using System;
using System.IO;
using System.Text.RegularExpressions;

namespace AgentState.Stores
{
    /// <summary>
    /// A store as the user names it (<c>-Store</c>, <c>--store</c>, <c>$AGENTSTATE_STORE</c>): a folder path, or a
    /// PostgreSQL connection, as a URI (<c>postgres://</c>, <c>postgresql://</c>) or in the keyword form with <c>Host=</c>.
    /// </summary>
    public sealed class StoreLocator
    {
        /// <summary>The environment variable that names the default store (a folder or a PostgreSQL connection).</summary>
        public const string StoreVariable = "AGENTSTATE_STORE";

        // Host= as a keyword of its own (start of the text or after a ';'), so that a folder named "x;Host=y" is rare
        // enough to need no escape while "C:\Hosts=old" stays a folder.
        private static readonly Regex KeywordHost = new Regex(@"(^|;)\s*(host|server)\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private StoreLocator(StoreKind kind, string text)
        {
            Kind = kind;
            Text = text;
        }

        /// <summary>Folder or PostgreSQL.</summary>
        public StoreKind Kind { get; }

        /// <summary>The folder's full path, or the connection text as given (a URI or keywords, password included).</summary>
        public string Text { get; }

        /// <summary>True when <paramref name="text"/> names a PostgreSQL store rather than a folder.</summary>
        public static bool IsPostgres(string text)
        {
            string trimmed = text.TrimStart();
            return trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
                || trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
                || KeywordHost.IsMatch(trimmed);
        }

        /// <summary>A folder store at <paramref name="folder"/> (already resolved by the caller, e.g. through the provider).</summary>
        public static StoreLocator Folder(string folder) => new StoreLocator(StoreKind.Folder, Path.GetFullPath(folder));

        /// <summary>
        /// Reads what the user gave: a PostgreSQL connection, else a folder (relative to <paramref name="currentDirectory"/>).
        /// </summary>
        /// <exception cref="ArgumentException">The text is empty.</exception>
        public static StoreLocator Parse(string text, string currentDirectory)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new ArgumentException("A store must be named: a folder path or a PostgreSQL connection string.", nameof(text));
            }

            return IsPostgres(text) ? new StoreLocator(StoreKind.Postgres, text.Trim()) : Folder(Path.Combine(currentDirectory, text));
        }

        /// <summary>
        /// The store named by <paramref name="given"/>, else by $AGENTSTATE_STORE, else the folder of
        /// <see cref="Agents.AgentStateStore.DefaultRoot"/> ($AGENTSTATE_ROOT or ./agent-deployment).
        /// </summary>
        public static StoreLocator Resolve(string? given, string currentDirectory)
        {
            if (!string.IsNullOrWhiteSpace(given))
            {
                return Parse(given!, currentDirectory);
            }

            string? configured = Environment.GetEnvironmentVariable(StoreVariable);
            return string.IsNullOrWhiteSpace(configured)
                ? Folder(Agents.AgentStateStore.DefaultRoot(currentDirectory))
                : Parse(configured!, currentDirectory);
        }

        /// <inheritdoc />
        public override string ToString() => Kind == StoreKind.Folder ? Text : "PostgreSQL store";
    }
}
