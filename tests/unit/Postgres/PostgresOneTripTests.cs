using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AgentState.Postgres;
using AgentState.Queue;
using AgentState.Stores;
using AgentState.Tests.Support;
using Npgsql;
using Xunit;

namespace AgentState.Tests.Postgres
{
    /// <summary>
    /// The queue's one-round-trip operations when the connection fails around them: a reply lost after the work committed
    /// is settled by reading the row back (never done twice, never reported as lost), a failure before it was sent is
    /// done again, and what stays unknown is said to be unknown.
    /// </summary>
    [Collection(PostgresCollection.Name)]
    public sealed class PostgresOneTripTests
    {
        private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
        private readonly PostgresServerFixture _postgres;

        public PostgresOneTripTests(PostgresServerFixture postgres) => _postgres = postgres;

        private static LeaseHolder Holder(int pid) => new LeaseHolder(pid, null, LeaseHolder.ThisHost);

        private static WorkItemDraft Draft(string id) => new WorkItemDraft(id, "{\"n\":1}");

        /// <summary>What a connection reset looks like from Npgsql: not an error the server sent.</summary>
        private static Exception Reset() => new NpgsqlException("Exception while reading from stream", new IOException("Connection reset by peer"));

        private static PostgresWorkQueue Client(QueueUnderTest t, List<string> told, TimeSpan? retryFor = null) =>
            (PostgresWorkQueue)WorkQueues.Open(StoreLocator.Parse(t.Locator, "/"), new StoreOpenOptions
            {
                Clock = () => t.Time,
                Initialize = true,
                RetryFor = retryFor,
                Retrying = message => { lock (told) { told.Add(message); } },
            });

        /// <summary>Fails the next operation once at <paramref name="stage"/> with <paramref name="failure"/>.</summary>
        private static void FailOnce(PostgresWorkQueue queue, OneTripStage stage, Exception failure)
        {
            bool failed = false;
            queue.Gateway.Interrupt = at =>
            {
                if (at == stage && !failed)
                {
                    failed = true;
                    throw failure;
                }
            };
        }

        [PostgresFact]
        public void A_claim_whose_reply_was_lost_is_found_by_its_token_and_nothing_is_claimed_twice()
        {
            using var t = new QueueUnderTest(StoreUnderTest.Postgres, _postgres);
            foreach (string id in new[] { "a", "b", "c" })
            {
                t.Queue.Enqueue(Draft(id));
            }

            var told = new List<string>();
            PostgresWorkQueue queue = Client(t, told);
            FailOnce(queue, OneTripStage.AfterReply, Reset());

            IReadOnlyList<WorkItem> claimed = queue.ClaimMany(Holder(1), Lease, 2);

            Assert.Equal(new[] { "a", "b" }, claimed.Select(i => i.Id));
            Assert.Equal(2, t.Queue.Count()[WorkItemState.Claimed]);
            Assert.Equal(1, t.Queue.Count()[WorkItemState.Queued]);
            Assert.Contains(told, m => m.Contains("looking in") && m.Contains("whether it did"));
            foreach (WorkItem item in claimed)
            {
                Assert.Equal(WorkItemState.Completed, queue.Complete(item.Id, item.LeaseToken!).State);
            }
        }

        [PostgresFact]
        public void A_claim_that_failed_before_it_was_sent_is_made_again_once()
        {
            using var t = new QueueUnderTest(StoreUnderTest.Postgres, _postgres);
            t.Queue.Enqueue(Draft("a"));
            t.Queue.Enqueue(Draft("b"));
            PostgresWorkQueue queue = Client(t, new List<string>());
            FailOnce(queue, OneTripStage.BeforeSend, Reset());

            Assert.Equal("a", queue.Claim(Holder(1), Lease)!.Id);
            Assert.Equal(1, t.Queue.Count()[WorkItemState.Claimed]);
            Assert.Equal(1, t.Queue.Count()[WorkItemState.Queued]);
        }

        [PostgresFact]
        public void A_completion_or_failure_whose_reply_was_lost_is_reported_done_not_as_a_lost_lease()
        {
            using var t = new QueueUnderTest(StoreUnderTest.Postgres, _postgres);
            t.Queue.Enqueue(Draft("done"));
            t.Queue.Enqueue(Draft("failed"));
            PostgresWorkQueue queue = Client(t, new List<string>());
            WorkItem done = queue.Claim(Holder(1), Lease)!;
            WorkItem failed = queue.Claim(Holder(1), Lease)!;

            FailOnce(queue, OneTripStage.AfterReply, Reset());
            Assert.Equal(WorkItemState.Completed, queue.Complete(done.Id, done.LeaseToken!).State);

            FailOnce(queue, OneTripStage.AfterReply, Reset());
            WorkItem back = queue.Fail(failed.Id, failed.LeaseToken!, "the build broke", TimeSpan.Zero);
            Assert.Equal(WorkItemState.Queued, back.State);
            Assert.Equal("the build broke", back.LastError);

            // Done once each: the failure counted one attempt, and the next claim gets the failed item back.
            WorkItem again = queue.Claim(Holder(2), Lease)!;
            Assert.Equal(("failed", 2), (again.Id, again.Attempts));
            Assert.Equal(1, t.Queue.Count()[WorkItemState.Completed]);
        }

        [PostgresFact]
        public void A_renewal_whose_reply_was_lost_is_renewed_again()
        {
            using var t = new QueueUnderTest(StoreUnderTest.Postgres, _postgres);
            t.Queue.Enqueue(Draft("a"));
            PostgresWorkQueue queue = Client(t, new List<string>());
            WorkItem item = queue.Claim(Holder(1), Lease)!;
            t.Time = t.Time.AddMinutes(1);

            FailOnce(queue, OneTripStage.AfterReply, Reset());
            WorkItem renewed = queue.Renew(item.Id, item.LeaseToken!, Lease);

            Assert.Equal(t.Time + Lease, renewed.LeaseExpires);
            Assert.Equal(item.LeaseToken, renewed.LeaseToken);
        }

        [PostgresFact]
        public void A_connection_lost_until_the_retry_window_closes_says_the_outcome_is_unknown()
        {
            using var t = new QueueUnderTest(StoreUnderTest.Postgres, _postgres);
            t.Queue.Enqueue(Draft("a"));
            PostgresWorkQueue queue = Client(t, new List<string>(), TimeSpan.FromMilliseconds(300));
            WorkItem item = queue.Claim(Holder(1), Lease)!;
            queue.Gateway.Interrupt = at =>
            {
                if (at == OneTripStage.BeforeSend)
                {
                    throw Reset();
                }
            };

            var unknown = Assert.Throws<StoreUnavailableException>(() => queue.Complete(item.Id, item.LeaseToken!));

            Assert.True(unknown.OutcomeUnknown);
            Assert.Contains("not known whether it did complete the work item 'a'", unknown.Message);
            Assert.Equal(WorkItemState.Claimed, t.Queue.Get("a").State);
        }

        [PostgresFact]
        public void An_error_the_server_sent_means_nothing_was_done()
        {
            using var t = new QueueUnderTest(StoreUnderTest.Postgres, _postgres);
            t.Queue.Enqueue(Draft("a"));
            PostgresWorkQueue queue = Client(t, new List<string>(), TimeSpan.FromMilliseconds(300));
            WorkItem item = queue.Claim(Holder(1), Lease)!;
            queue.Gateway.Interrupt = at =>
            {
                if (at == OneTripStage.BeforeSend)
                {
                    throw new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown);
                }
            };

            var refused = Assert.Throws<StoreUnavailableException>(() => queue.Complete(item.Id, item.LeaseToken!));

            Assert.False(refused.OutcomeUnknown);
            Assert.Contains("Nothing was changed", refused.Message);
            Assert.Equal(WorkItemState.Claimed, t.Queue.Get("a").State);
        }

        [Theory]
        [InlineData("Host=h;Username=u", "32", "True")]
        [InlineData("Host=h;Username=u;Max Auto Prepare=0;No Reset On Close=false", "0", "False")]
        [InlineData("Host=h;Username=u;maxautoprepare=5", "5", "True")]
        public void Connections_prepare_statements_and_skip_the_reset_unless_the_connection_string_says_otherwise(string given, string prepare, string noReset)
        {
            var used = new NpgsqlConnectionStringBuilder(PostgresGateway.WithDefaults(given));

            Assert.Equal(prepare, used.MaxAutoPrepare.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(noReset, used.NoResetOnClose.ToString());
            Assert.Equal("h", used.Host);
        }
    }
}
