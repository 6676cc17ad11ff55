using Xunit;

namespace AgentState.Tests.Support
{
    /// <summary>A test against a real PostgreSQL server: reported as skipped, with the reason, where none can be started.</summary>
    public sealed class PostgresFactAttribute : FactAttribute
    {
        public PostgresFactAttribute()
        {
            Skip = PostgresServer.SkipReason;
        }
    }

    /// <summary>One throwaway server for every test of the collection (they run one after another).</summary>
    [CollectionDefinition(Name)]
    public sealed class PostgresCollection : ICollectionFixture<PostgresServerFixture>
    {
        public const string Name = "PostgreSQL server";
    }

    /// <summary>The shared server, started only where the binaries exist (the tests are skipped elsewhere).</summary>
    public sealed class PostgresServerFixture : System.IDisposable
    {
        private readonly System.Lazy<PostgresServer> _server = new System.Lazy<PostgresServer>(() => new PostgresServer());

        public PostgresServer Server => _server.Value;

        public void Dispose()
        {
            if (_server.IsValueCreated)
            {
                _server.Value.Dispose();
            }
        }
    }
}
