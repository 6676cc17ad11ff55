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
            var told = new List<string>();
            PostgresWorkQueue queue = Client(t, told);
            FailOnce(queue, OneTripStage.BeforeSend, Reset());

            Assert.Equal("a", queue.Claim(Holder(1), Lease)!.Id);
            Assert.Equal(1, t.Queue.Count()[WorkItemState.Claimed]);
            Assert.Equal(1, t.Queue.Count()[WorkItemState.Queued]);
            Assert.Equal(new[] { "nothing was committed" }, told.Select(m => m.Contains("nothing was committed") ? "nothing was committed" : m));
        }

        [PostgresFact]
        public void A_claim_cut_off_by_the_server_after_its_first_trip_is_found_by_its_token()
        {
            // The claim's first trip commits two claims; returning the dead holder's item is a second trip, which the
            // server cuts off with an error. That error proves nothing about the first trip, so the claims are read back
            // rather than made again (which would leave these two claimed by nobody who knows it).
            using var t = new QueueUnderTest(StoreUnderTest.Postgres, _postgres);
            foreach (string id in new[] { "held", "a", "b", "c" })
            {
                t.Queue.Enqueue(Draft(id));
            }

            Assert.Equal("held", t.Queue.Claim(Holder(7), Lease)!.Id);
            lock (t.DeadPids)
            {
                t.DeadPids.Add(7);
            }

            PostgresWorkQueue judged = (PostgresWorkQueue)t.Open("judge");
            FailOnce(judged, OneTripStage.BetweenTrips, new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown));

            IReadOnlyList<WorkItem> claimed = judged.ClaimMany(Holder(1), Lease, 2);

            Assert.Equal(new[] { "a", "b" }, claimed.Select(i => i.Id));
            Assert.Equal(1, t.Queue.Count()[WorkItemState.Queued]);
            Assert.Equal(new[] { "a", "b" }, t.Queue.List(WorkItemState.Claimed).Where(i => i.HolderProcessId == 1).Select(i => i.Id));
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
        public void A_reply_lost_and_never_settled_before_the_retry_window_closes_says_the_outcome_is_unknown()
        {
            using var t = new QueueUnderTest(StoreUnderTest.Postgres, _postgres);
            t.Queue.Enqueue(Draft("a"));
            PostgresWorkQueue queue = Client(t, new List<string>(), TimeSpan.FromMilliseconds(300));
            WorkItem item = queue.Claim(Holder(1), Lease)!;
            queue.Gateway.Interrupt = at =>
            {
                if (at == OneTripStage.AfterReply || at == OneTripStage.BeforeReadBack)
                {
                    throw Reset();
                }
            };

            var unknown = Assert.Throws<StoreUnavailableException>(() => queue.Complete(item.Id, item.LeaseToken!));

            Assert.True(unknown.OutcomeUnknown);
            Assert.Contains("not known whether it did complete the work item 'a'", unknown.Message);
            Assert.Equal(WorkItemState.Completed, t.Queue.Get("a").State); // it did: only the answer was lost
        }

        [PostgresFact]
        public void A_connection_never_had_before_the_retry_window_closes_says_nothing_was_changed()
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

            var refused = Assert.Throws<StoreUnavailableException>(() => queue.Complete(item.Id, item.LeaseToken!));

            Assert.False(refused.OutcomeUnknown);
            Assert.Contains("Nothing was changed", refused.Message);
            Assert.Equal(WorkItemState.Claimed, t.Queue.Get("a").State);
        }

        [PostgresFact]
        public async System.Threading.Tasks.Task A_completion_whose_server_process_is_ended_while_it_waits_is_made_again_without_looking()
        {
            // A real server error answering the only trip: the completion waits on a row lock, its server process is
            // ended (57P01), which rolls it back, so it is made again at once on a new connection.
            using var t = new QueueUnderTest(StoreUnderTest.Postgres, _postgres);
            string schema = t.Locator.Substring(t.Locator.LastIndexOf('=') + 1);
            t.Queue.Enqueue(Draft("a"));
            var told = new List<string>();
            string client = "ended" + Guid.NewGuid().ToString("n").Substring(0, 8);
            var queue = (PostgresWorkQueue)WorkQueues.Open(StoreLocator.Parse(t.Locator + ";Application Name=" + client, "/"), new StoreOpenOptions
            {
                Clock = () => t.Time,
                Retrying = message => { lock (told) { told.Add(message); } },
            });
            WorkItem item = queue.Claim(Holder(1), Lease)!;

            using var locker = new NpgsqlConnection(_postgres.Server.ConnectionString);
            locker.Open();
            using NpgsqlTransaction hold = locker.BeginTransaction();
            using (var lockRow = new NpgsqlCommand($"SELECT 1 FROM {schema}.work_queue WHERE item_id = 'a' FOR UPDATE", locker, hold))
            {
                lockRow.ExecuteScalar();
            }

            var completing = System.Threading.Tasks.Task.Run(() => queue.Complete(item.Id, item.LeaseToken!));
            Assert.True(WaitFor(() => Scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = @a AND wait_event_type = 'Lock'", client) == 1), "the completion never waited on the row lock");
            Scalar("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @a AND wait_event_type = 'Lock'", client);
            Assert.True(WaitFor(() => { lock (told) { return told.Count > 0; } }), "the ended completion was not tried again");
            hold.Commit();

            Assert.Equal(WorkItemState.Completed, (await completing).State);
            Assert.Contains("nothing was committed", told[0]);
        }

        [PostgresFact]
        public void A_failure_is_found_by_its_own_error_not_by_a_sweep_that_returned_the_item()
        {
            using var t = new QueueUnderTest(StoreUnderTest.Postgres, _postgres);
            string schema = t.Locator.Substring(t.Locator.LastIndexOf('=') + 1);
            t.Queue.Enqueue(Draft("a"));
            PostgresWorkQueue queue = Client(t, new List<string>());
            WorkItem item = queue.Claim(Holder(1), Lease)!;
            bool lost = false, swept = false;
            queue.Gateway.Interrupt = at =>
            {
                if (at == OneTripStage.AfterReply && !lost)
                {
                    lost = true;
                    throw Reset();
                }

                if (at == OneTripStage.BeforeReadBack && !swept)
                {
                    // Before the failure is looked for, the row looks as a sweep of its expired lease leaves it (token kept).
                    swept = true;
                    using var c = new NpgsqlConnection(_postgres.Server.ConnectionString);
                    c.Open();
                    using var sweep = new NpgsqlCommand($"UPDATE {schema}.work_queue SET last_error = 'the lease of process 1 expired' WHERE item_id = 'a'", c);
                    sweep.ExecuteNonQuery();
                }
            };

            Assert.Throws<LeaseLostException>(() => queue.Fail(item.Id, item.LeaseToken!, "the build broke", TimeSpan.Zero));
        }

        private static bool WaitFor(Func<bool> condition)
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (!condition())
            {
                if (waited.Elapsed > TimeSpan.FromMinutes(2))
                {
                    return false;
                }

                System.Threading.Thread.Sleep(20); // polling for a state, not a guess at how long anything takes
            }

            return true;
        }

        /// <summary>On a connection of its own: pg_stat_activity is read once per transaction.</summary>
        private long Scalar(string sql, string application)
        {
            using var connection = new NpgsqlConnection(_postgres.Server.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("a", application);
            return Convert.ToInt64(command.ExecuteScalar());
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
