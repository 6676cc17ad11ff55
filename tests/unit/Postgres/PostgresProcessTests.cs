using System;
using System.Collections.Generic;
using System.Linq;
using AgentState.Agents;
using AgentState.Json;
using AgentState.Stores;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Postgres
{
    /// <summary>
    /// Many coordinators on one PostgreSQL store, each a process of its own on its own connection (the StoreUpdateClient
    /// fixture): no update lost between them, and none acknowledged lost when the server restarts under them.
    /// </summary>
    [Collection(PostgresCollection.Name)]
    public sealed class PostgresProcessTests
    {
        private const int Clients = 8;
        private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

        private readonly PostgresServerFixture _postgres;

        public PostgresProcessTests(PostgresServerFixture postgres) => _postgres = postgres;

        [PostgresFact]
        public void Eight_processes_updating_one_agent_200_times_each_lose_nothing()
        {
            const int Updates = 200;
            string store = NewStore(_postgres.Server.ConnectionString);

            List<StoreClientProcess> clients = StartTogether(store, Updates);
            try
            {
                foreach (StoreClientProcess client in clients)
                {
                    Assert.True(client.WaitForExit(Patience) == 0, "did not finish cleanly: " + client.Describe());
                }

                OrderedJsonObject metadata = Read(store).Metadata!;
                foreach (StoreClientProcess client in clients)
                {
                    Assert.True(client.Acknowledged.Count == Updates, $"{client.Acknowledged.Count} of {Updates} acknowledged: " + client.Describe());
                    var lost = client.Acknowledged.Where(key => !metadata.ContainsKey(key)).ToList();
                    Assert.True(lost.Count == 0, $"client {client.Name}: {lost.Count} acknowledged updates lost, e.g. {string.Join(", ", lost.Take(5))}");
                }

                Assert.Equal(Clients * Updates, metadata.Count);
            }
            finally
            {
                clients.ForEach(client => client.Dispose());
            }
        }

        [PostgresFact]
        public void A_server_restart_under_eight_client_processes_loses_no_acknowledged_update_and_they_carry_on()
        {
            using var server = new PostgresServer();
            string store = NewStore(server.ConnectionString);

            List<StoreClientProcess> clients = StartTogether(store, updates: 0);
            try
            {
                // Every client well under way, so the restart cuts work in progress rather than idle connections.
                Await(clients, client => client.AcknowledgedCount >= 20, "20 updates each before the restart");
                server.Restart();
                var atRestart = clients.ToDictionary(client => client, client => client.AcknowledgedCount);
                Await(clients, client => client.AcknowledgedCount >= atRestart[client] + 20, "20 updates each after the restart");
                clients.ForEach(client => client.Stop());
                foreach (StoreClientProcess client in clients)
                {
                    Assert.True(client.WaitForExit(Patience) == 0, "did not finish cleanly: " + client.Describe());
                }

                OrderedJsonObject metadata = Read(store).Metadata!;
                var acknowledged = new HashSet<string>(clients.SelectMany(client => client.Acknowledged));
                var unknown = new HashSet<string>(clients.SelectMany(client => client.Unknown));
                var lost = acknowledged.Where(key => !metadata.ContainsKey(key)).ToList();
                Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged updates are missing after the restart, e.g. {string.Join(", ", lost.Take(5))}");
                Assert.All(metadata.Select(pair => pair.Key), key => Assert.True(acknowledged.Contains(key) || unknown.Contains(key), $"{key} is there but no client sent it"));

                // The restart was felt: every client's pooled connection died with it, so work was tried again (or, cut
                // while committing, reported as unknown), and the store said so each time.
                Assert.True(clients.Sum(client => client.Retries.Count + client.Unknown.Count) > 0, "no client noticed the restart: " + string.Join("; ", clients.Select(c => c.Describe())));
                Assert.All(clients.SelectMany(client => client.Retries), retry => Assert.Matches("nothing was committed, so trying to (update the agent 'shared'|open the store) again", retry));
            }
            finally
            {
                clients.ForEach(client => client.Dispose());
            }
        }

        private static string NewStore(string connection)
        {
            string store = connection + ";Schema=t" + Guid.NewGuid().ToString("n").Substring(0, 16);
            IAgentStateStore opened = AgentStores.Open(StoreLocator.Parse(store, Environment.CurrentDirectory), new StoreOpenOptions { Initialize = true });
            opened.Create(new AgentStateDraft("shared", "coordinated", "L1") { Status = AgentStatus.Running });
            return store;
        }

        private static AgentStateRecord Read(string store) =>
            AgentStores.Open(StoreLocator.Parse(store, Environment.CurrentDirectory)).TryGet("shared")
            ?? throw new Xunit.Sdk.XunitException("the shared agent is gone");

        /// <summary>Starts the clients and lets them go together once every one has its connection open.</summary>
        private static List<StoreClientProcess> StartTogether(string store, int updates)
        {
            var clients = new List<StoreClientProcess>();
            try
            {
                for (int i = 0; i < Clients; i++)
                {
                    clients.Add(new StoreClientProcess(store, "shared", "c" + i, updates));
                }

                foreach (StoreClientProcess client in clients)
                {
                    Assert.True(client.WaitReady(Patience), "never got ready: " + client.Describe());
                }

                clients.ForEach(client => client.Go());
                return clients;
            }
            catch
            {
                clients.ForEach(client => client.Dispose());
                throw;
            }
        }

        private static void Await(List<StoreClientProcess> clients, Func<StoreClientProcess, bool> condition, string what)
        {
            DateTime deadline = DateTime.UtcNow + Patience;
            while (!clients.All(condition))
            {
                StoreClientProcess? ended = clients.FirstOrDefault(client => client.WaitForExit(TimeSpan.Zero) != null);
                Assert.True(ended == null, $"a client ended before {what}: " + ended?.Describe());
                Assert.True(DateTime.UtcNow < deadline, $"the clients did not get {what}: " + string.Join("; ", clients.Select(c => c.Describe())));
                System.Threading.Thread.Sleep(20);
            }
        }
    }
}
