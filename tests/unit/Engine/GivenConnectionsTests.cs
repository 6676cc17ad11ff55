using System;
using AgentState.Stores;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>How a piped item's password-less location finds its way back to the connection the user gave.</summary>
    public sealed class GivenConnectionsTests
    {
        // Unique per test: the memory is the process's, shared with every other test.
        private static string Location() => "postgresql://ops@db1:5432/agents?schema=s" + Guid.NewGuid().ToString("n");

        [Fact]
        public void A_remembered_location_recalls_the_connection_with_its_password()
        {
            string location = Location();
            const string Given = "postgresql://ops:secret@db1/agents?sslmode=require";

            GivenConnections.Remember(location, Given);

            Assert.Equal(Given, GivenConnections.Recall(location));
            Assert.Equal(Given, GivenConnections.Recall("  " + location + " "));
        }

        [Fact]
        public void An_unknown_text_comes_back_as_it_is()
        {
            string location = Location();

            Assert.Equal(location, GivenConnections.Recall(location));
            Assert.Equal("Host=db2;Database=x", GivenConnections.Recall("Host=db2;Database=x"));
        }

        [Fact]
        public void The_newest_connection_for_a_location_wins()
        {
            string location = Location();

            GivenConnections.Remember(location, "Host=db1;Username=ops;Password=old");
            GivenConnections.Remember(location, "Host=db1;Username=ops;Password=new");

            Assert.Equal("Host=db1;Username=ops;Password=new", GivenConnections.Recall(location));
        }

        [Fact]
        public void A_location_given_as_itself_is_not_kept_over_a_connection_with_a_password()
        {
            string location = Location();

            GivenConnections.Remember(location, "Host=db1;Username=ops;Password=pw");
            GivenConnections.Remember(location, location); // the piped item's own Queue, opened again

            Assert.Equal("Host=db1;Username=ops;Password=pw", GivenConnections.Recall(location));
        }

        [Fact]
        public void Nothing_empty_is_remembered()
        {
            Assert.Throws<ArgumentException>(() => GivenConnections.Remember(string.Empty, "Host=db1"));
            Assert.Throws<ArgumentException>(() => GivenConnections.Remember(Location(), string.Empty));
        }
    }
}
