using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using AgentState.IO;
using AgentState.Queue;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Postgres
{
    /// <summary>
    /// One set of work queue tests, run against every backend this machine has (the folder always, PostgreSQL where a
    /// server can be started): the same calls must give the same items, order, errors and answers. What only a folder
    /// has (its layout, links, Maildir names) is in WorkQueueTests; what only PostgreSQL has, in PostgresWorkQueueTests.
    /// </summary>
    [Collection(PostgresCollection.Name)]
    public sealed class WorkQueueBackendTests
    {
        private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
        private readonly PostgresServerFixture _postgres;

        public WorkQueueBackendTests(PostgresServerFixture postgres) => _postgres = postgres;

        public static IEnumerable<object[]> Backends() => QueueUnderTest.Backends();

        private QueueUnderTest Open(string backend) => new QueueUnderTest(backend, _postgres);

        private static LeaseHolder Holder(int pid) => new LeaseHolder(pid, null, LeaseHolder.ThisHost);

        private static WorkItemDraft Draft(string id, int priority = 0, string payload = "{\"n\":1}") => new WorkItemDraft(id, payload) { Priority = priority };

        [Theory]
        [MemberData(nameof(Backends))]
        public void Items_are_claimed_highest_priority_first_and_fifo_within_a_priority(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;
            queue.Enqueue(Draft("low-1", 1));
            queue.Enqueue(Draft("high-1", 9));
            queue.Enqueue(Draft("low-2", 1));
            queue.Enqueue(Draft("high-2", 9));
            queue.Enqueue(Draft("none", 0));

            var order = new List<string>();
            while (queue.Claim(Holder(100), Lease) is WorkItem item)
            {
                order.Add(item.Id);
            }

            Assert.Equal(new[] { "high-1", "high-2", "low-1", "low-2", "none" }, order);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void A_claim_carries_the_payload_a_lease_and_one_attempt(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;
            queue.Enqueue(new WorkItemDraft("build-42", "{\"repo\":\"x\",\"tries\":[1,2]}") { Priority = 3, MaxAttempts = 4 });

            WorkItem item = queue.Claim(Holder(100), TimeSpan.FromSeconds(90))!;

            Assert.Equal(WorkItemState.Claimed, item.State);
            Assert.Equal("{\"repo\":\"x\",\"tries\":[1,2]}", item.PayloadJson);
            Assert.Equal(3, item.Priority);
            Assert.Equal(4, item.MaxAttempts);
            Assert.Equal(1, item.Attempts);
            Assert.Equal(100, item.HolderProcessId);
            Assert.Equal(t.Time.AddSeconds(90), item.LeaseExpires);
            Assert.Equal(t.Time, item.EnqueuedAt);
            Assert.Equal(queue.Location, item.Queue);
            Assert.False(string.IsNullOrEmpty(item.LeaseToken));
            Assert.Null(queue.Claim(Holder(101), Lease));
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void Sequence_numbers_keep_rising_across_producers_sharing_the_queue(string backend)
        {
            using QueueUnderTest t = Open(backend);
            var seen = new List<long>();
            for (int i = 0; i < 6; i++)
            {
                seen.Add(t.Open("producer" + i).Enqueue(Draft("item-" + i)).Sequence);
            }

            Assert.Equal(seen.OrderBy(n => n), seen);
            Assert.Equal(6, seen.Distinct().Count());
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void Position_counts_the_items_claimed_before_this_one(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;
            queue.Enqueue(Draft("a", 1));
            queue.Enqueue(Draft("b", 1));
            queue.Enqueue(Draft("urgent", 5));
            queue.Enqueue(Draft("c", 1));

            Assert.Equal(1, queue.Position("urgent").Position);
            Assert.Equal(2, queue.Position("a").Position);
            Assert.Equal(4, queue.Position("c").Position);

            queue.Claim(Holder(100), Lease);

            WorkItemPosition claimed = queue.Position("urgent");
            Assert.Equal(WorkItemState.Claimed, claimed.State);
            Assert.Null(claimed.Position);
            Assert.Equal(3, queue.Position("c").Position);
            Assert.Throws<WorkItemNotFoundException>(() => queue.Position("nobody"));
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void An_item_is_not_claimed_before_its_not_before_time(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;
            queue.Enqueue(new WorkItemDraft("later", "1") { NotBefore = t.Time.AddMinutes(10) });
            queue.Enqueue(Draft("now"));

            Assert.Equal(t.Time.AddMinutes(10), queue.Get("later").NotBefore);
            Assert.Equal("now", queue.Claim(Holder(100), Lease)!.Id);
            Assert.Null(queue.Claim(Holder(100), Lease));

            t.Time = t.Time.AddMinutes(10);
            Assert.Equal("later", queue.Claim(Holder(100), Lease)!.Id);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void At_capacity_enqueue_fails_clearly_and_leaves_nothing_behind(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;
            queue.Enqueue(Draft("a"), capacity: 2);
            queue.Enqueue(Draft("b"), capacity: 2);

            var error = Assert.Throws<WorkQueueFullException>(() => queue.Enqueue(Draft("c"), capacity: 2));

            Assert.Contains("is full", error.Message);
            Assert.Contains(queue.Location, error.Message);
            Assert.Throws<WorkItemNotFoundException>(() => queue.Get("c"));
            Assert.Equal(2, queue.Count()[WorkItemState.Queued]);
            Assert.Equal(new[] { "a", "b" }, queue.List().Select(i => i.Id));
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void Claimed_items_count_against_capacity_and_completed_ones_do_not(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;
            queue.Enqueue(Draft("a"), capacity: 1);
            WorkItem claimed = queue.Claim(Holder(100), Lease)!;
            Assert.Throws<WorkQueueFullException>(() => queue.Enqueue(Draft("b"), capacity: 1));

            queue.Complete(claimed.Id, claimed.LeaseToken!);

            Assert.Equal("b", queue.Enqueue(Draft("b"), capacity: 1).Id);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public async Task A_full_queue_makes_enqueue_wait_until_room_is_made(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;
            queue.Enqueue(Draft("a"), capacity: 1);
            WorkItem claimed = queue.Claim(Holder(100), Lease)!;

            IWorkQueue producer = t.Open("producer");
            Task<WorkItem> waiting = Task.Run(() => producer.Enqueue(Draft("b"), capacity: 1, capacityWait: TimeSpan.FromMinutes(5)));
            Assert.False(waiting.IsCompleted);
            queue.Complete(claimed.Id, claimed.LeaseToken!);

            Assert.True(await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromMinutes(2))) == waiting, "the waiting enqueue never got in");
            Assert.Equal(WorkItemState.Queued, (await waiting).State);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void A_renewed_lease_outlives_the_first_expiry_and_an_expired_one_returns_the_item(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;
            queue.Enqueue(Draft("job"));
            WorkItem first = queue.Claim(Holder(100), TimeSpan.FromMinutes(1))!;

            t.Time = t.Time.AddSeconds(50);
            WorkItem renewed = queue.Renew("job", first.LeaseToken!, TimeSpan.FromMinutes(1));
            Assert.Equal(t.Time.AddMinutes(1), renewed.LeaseExpires);

            t.Time = t.Time.AddSeconds(50); // past the first expiry, before the renewed one
            Assert.Null(queue.Claim(Holder(200), Lease));
            Assert.Equal(WorkItemState.Claimed, queue.Get("job").State);

            t.Time = t.Time.AddSeconds(11); // past the renewed expiry
            WorkItem again = queue.Claim(Holder(200), Lease)!;
            Assert.Equal("job", again.Id);
            Assert.Equal(2, again.Attempts);
            Assert.Contains("lease of process 100 expired", again.LastError);

            Assert.Throws<LeaseLostException>(() => queue.Complete("job", first.LeaseToken!));
            Assert.Throws<LeaseLostException>(() => queue.Renew("job", first.LeaseToken!, Lease));
            Assert.Equal(WorkItemState.Completed, queue.Complete("job", again.LeaseToken!).State);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void The_item_of_a_dead_holder_returns_at_the_next_claim(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;
            queue.Enqueue(Draft("job"));
            queue.Claim(Holder(100), Lease);
            Assert.Null(queue.Claim(Holder(200), Lease));

            t.DeadPids.Add(100);
            WorkItem again = queue.Claim(Holder(200), Lease)!;

            Assert.Equal("job", again.Id);
            Assert.Equal(2, again.Attempts);
            Assert.Contains("process 100, died", again.LastError);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void A_holder_on_another_host_is_never_judged_by_this_hosts_processes(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;
            queue.Enqueue(Draft("job"));
            queue.Claim(new LeaseHolder(100, null, "0badc0de"), TimeSpan.FromMinutes(1));
            t.DeadPids.Add(100);

            Assert.Null(queue.Claim(Holder(200), Lease));

            t.Time = t.Time.AddMinutes(1);
            Assert.Equal("job", queue.Claim(Holder(200), Lease)!.Id);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void Failing_returns_the_item_after_the_delay_and_past_the_maximum_it_is_a_dead_letter(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;
            queue.Enqueue(new WorkItemDraft("flaky", "{}") { MaxAttempts = 2 });

            WorkItem first = queue.Claim(Holder(100), Lease)!;
            WorkItem back = queue.Fail("flaky", first.LeaseToken!, "network down", TimeSpan.FromSeconds(30));
            Assert.Equal(WorkItemState.Queued, back.State);
            Assert.Equal(t.Time.AddSeconds(30), back.NotBefore);
            Assert.Equal("network down", back.LastError);
            Assert.Null(queue.Claim(Holder(100), Lease));

            t.Time = t.Time.AddSeconds(30);
            WorkItem second = queue.Claim(Holder(100), Lease)!;
            Assert.Equal(2, second.Attempts);
            Assert.Equal("network down", second.LastError);
            WorkItem dead = queue.Fail("flaky", second.LeaseToken!, "still down", TimeSpan.Zero);

            Assert.Equal(WorkItemState.DeadLetter, dead.State);
            WorkItem stored = queue.Get("flaky");
            Assert.Equal(WorkItemState.DeadLetter, stored.State);
            Assert.Equal("still down", stored.LastError);
            Assert.Equal(2, stored.Attempts);
            Assert.Equal(1, queue.Count()[WorkItemState.DeadLetter]);
            Assert.Null(queue.Claim(Holder(100), Lease));
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void An_expired_lease_past_the_maximum_sends_the_item_to_the_dead_letters(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;
            queue.Enqueue(new WorkItemDraft("once", "{}") { MaxAttempts = 1 });
            queue.Claim(Holder(100), TimeSpan.FromSeconds(1));

            t.Time = t.Time.AddSeconds(2);
            Assert.Null(queue.Claim(Holder(200), Lease));

            WorkItem dead = queue.Get("once");
            Assert.Equal(WorkItemState.DeadLetter, dead.State);
            Assert.Contains("expired", dead.LastError);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void A_wrong_token_changes_nothing(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;
            queue.Enqueue(Draft("job"));
            WorkItem claim = queue.Claim(Holder(100), Lease)!;

            Assert.Equal(WorkItemState.Claimed, Assert.Throws<LeaseLostException>(() => queue.Complete("job", "not-the-token")).State);
            Assert.Throws<LeaseLostException>(() => queue.Fail("job", "not-the-token", "x", TimeSpan.Zero));
            Assert.Throws<LeaseLostException>(() => queue.Renew("job", "not-the-token", Lease));
            Assert.Throws<WorkItemNotFoundException>(() => queue.Complete("other", claim.LeaseToken!));

            WorkItem after = queue.Get("job");
            Assert.Equal(claim.Path, after.Path);
            Assert.Equal(claim.LeaseToken, after.LeaseToken);
            Assert.Equal(claim.LeaseExpires, after.LeaseExpires);
            Assert.Equal(1, after.Attempts);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void Ids_are_unique_in_the_queue_whatever_the_state(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;
            queue.Enqueue(Draft("job"));
            Assert.Equal(WorkItemState.Queued, Assert.Throws<DuplicateWorkItemException>(() => queue.Enqueue(Draft("job"))).State);

            WorkItem claim = queue.Claim(Holder(100), Lease)!;
            queue.Complete("job", claim.LeaseToken!);

            Assert.Equal(WorkItemState.Completed, Assert.Throws<DuplicateWorkItemException>(() => t.Open("other").Enqueue(Draft("job", 5))).State);
            Assert.Equal(1, queue.Count().Values.Sum());
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void A_bad_id_is_refused_before_anything_is_written(string backend)
        {
            foreach (string id in new[] { "../escape", "a/b", string.Empty, ".hidden" })
            {
                using QueueUnderTest t = Open(backend);

                Assert.Throws<InvalidInputException>(() => t.Queue.Enqueue(Draft(id)));
                Assert.Throws<InvalidInputException>(() => t.Queue.Get(id));

                Assert.True(t.NothingCreated(), $"refusing the id '{id}' created the queue");
            }
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void A_bad_payload_priority_maximum_capacity_or_lease_is_refused_naming_the_item(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;

            Assert.Contains("'job'", Assert.Throws<InvalidInputException>(() => queue.Enqueue(new WorkItemDraft("job", "{not json"))).Message);
            Assert.Contains("priority 1000", Assert.Throws<InvalidInputException>(() => queue.Enqueue(Draft("job", 1000))).Message);
            Assert.Contains("at least 1", Assert.Throws<InvalidInputException>(() => queue.Enqueue(new WorkItemDraft("job", "1") { MaxAttempts = 0 })).Message);
            Assert.Contains("capacity", Assert.Throws<InvalidInputException>(() => queue.Enqueue(Draft("job"), capacity: 0)).Message);
            Assert.Contains("lease", Assert.Throws<InvalidInputException>(() => queue.Claim(Holder(100), TimeSpan.Zero)).Message);
            Assert.True(t.NothingCreated(), "refused input created the queue");
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void Concurrent_claimers_each_get_different_items_and_every_item_once(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;
            for (int i = 0; i < 200; i++)
            {
                queue.Enqueue(Draft("i" + i));
            }

            var claimed = new ConcurrentBag<string>();
            Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
            {
                IWorkQueue mine = t.Open("worker" + worker);
                while (mine.Claim(Holder(1000 + worker), Lease) is WorkItem item)
                {
                    claimed.Add(item.Id);
                    mine.Complete(item.Id, item.LeaseToken!);
                }
            });

            Assert.Equal(200, claimed.Count);
            Assert.Equal(200, claimed.Distinct().Count());
            Assert.Equal(200, queue.Count()[WorkItemState.Completed]);
            Assert.Equal(0, queue.Count()[WorkItemState.Queued]);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void Concurrent_claimers_taking_several_at_a_time_get_every_item_once(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;
            for (int i = 0; i < 300; i++)
            {
                queue.Enqueue(Draft("i" + i));
            }

            var claimed = new ConcurrentBag<string>();
            var batches = new ConcurrentBag<int>();
            Parallel.For(0, 6, new ParallelOptions { MaxDegreeOfParallelism = 6 }, worker =>
            {
                IWorkQueue mine = t.Open("worker" + worker);
                while (mine.ClaimMany(Holder(1000 + worker), Lease, 7) is IReadOnlyList<WorkItem> items && items.Count > 0)
                {
                    batches.Add(items.Count);
                    foreach (WorkItem item in items)
                    {
                        claimed.Add(item.Id);
                        mine.Complete(item.Id, item.LeaseToken!);
                    }
                }
            });

            Assert.Equal(300, claimed.Count);
            Assert.Equal(300, claimed.Distinct().Count());
            Assert.All(batches, n => Assert.InRange(n, 1, 7));
            Assert.Equal(300, queue.Count()[WorkItemState.Completed]);
            Assert.Equal(0, queue.Count()[WorkItemState.Queued]);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void Claiming_many_takes_them_in_claim_order_each_under_a_lease_of_its_own(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;
            queue.Enqueue(Draft("low-1", 1));
            queue.Enqueue(Draft("high-1", 9));
            queue.Enqueue(Draft("low-2", 1));
            queue.Enqueue(Draft("high-2", 9));
            queue.Enqueue(Draft("none", 0));

            IReadOnlyList<WorkItem> first = queue.ClaimMany(Holder(100), TimeSpan.FromSeconds(90), 3);

            Assert.Equal(new[] { "high-1", "high-2", "low-1" }, first.Select(i => i.Id));
            Assert.All(first, i =>
            {
                Assert.Equal(WorkItemState.Claimed, i.State);
                Assert.Equal(1, i.Attempts);
                Assert.Equal("{\"n\":1}", i.PayloadJson);
                Assert.Equal(100, i.HolderProcessId);
                Assert.Equal(t.Time.AddSeconds(90), i.LeaseExpires);
            });
            Assert.Equal(3, first.Select(i => i.LeaseToken).Distinct().Count());
            Assert.Equal(3, queue.Count()[WorkItemState.Claimed]);

            // Each lease is its own: another item's token opens none, and each is renewed, failed or finished alone.
            Assert.Throws<LeaseLostException>(() => queue.Complete(first[0].Id, first[1].LeaseToken!));
            WorkItem completed = queue.Complete(first[0].Id, first[0].LeaseToken!);
            Assert.Equal((WorkItemState.Completed, (string?)null), (completed.State, completed.PayloadJson)); // without its content, on both backends
            Assert.Equal(WorkItemState.Queued, queue.Fail(first[1].Id, first[1].LeaseToken!, "no", TimeSpan.Zero).State);
            Assert.Equal(t.Time.AddMinutes(5), queue.Renew(first[2].Id, first[2].LeaseToken!, Lease).LeaseExpires);

            // The failed one is back in its place, first; fewer than asked are due, and the claim takes what there is.
            Assert.Equal(new[] { "high-2", "low-2", "none" }, queue.ClaimMany(Holder(101), Lease, 10).Select(i => i.Id));
            Assert.Empty(queue.ClaimMany(Holder(101), Lease, 10));
            Assert.Equal(WorkItemState.Claimed, queue.Get("low-1").State);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void A_claim_of_fewer_than_one_or_more_than_a_thousand_items_is_refused_and_claims_nothing(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;
            queue.Enqueue(Draft("job"));

            foreach (int count in new[] { 0, -1, 1001 })
            {
                Assert.Contains("1 to 1000 items at once, not " + count, Assert.Throws<InvalidInputException>(() => queue.ClaimMany(Holder(100), Lease, count)).Message);
            }

            Assert.Equal(1, queue.Count()[WorkItemState.Queued]);
            Assert.Equal(0, queue.Count()[WorkItemState.Claimed]);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void List_and_count_report_every_state_in_fifo_order(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;
            foreach (string id in new[] { "a", "b", "c", "d" })
            {
                queue.Enqueue(Draft(id));
            }

            WorkItem a = queue.Claim(Holder(100), Lease)!;
            queue.Complete("a", a.LeaseToken!);
            queue.Claim(Holder(100), Lease);

            IReadOnlyDictionary<WorkItemState, int> counts = queue.Count();
            Assert.Equal(2, counts[WorkItemState.Queued]);
            Assert.Equal(1, counts[WorkItemState.Claimed]);
            Assert.Equal(1, counts[WorkItemState.Completed]);
            Assert.Equal(0, counts[WorkItemState.DeadLetter]);
            Assert.Equal(new[] { "c:Queued", "d:Queued", "b:Claimed", "a:Completed" }, queue.List().Select(i => i.Id + ":" + i.State));
            Assert.All(queue.List(), i => Assert.Equal("{\"n\":1}", i.PayloadJson));
            Assert.Equal(new[] { "c", "d" }, queue.List(WorkItemState.Queued, readContent: false).Select(i => i.Id));
            Assert.All(queue.List(readContent: false), i => Assert.Null(i.PayloadJson));
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void Listing_pages_through_more_items_than_one_page_in_claim_order(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;
            for (int i = 0; i < 1200; i++)
            {
                queue.Enqueue(Draft("i" + i, i % 3));
            }

            List<WorkItem> listed = queue.List(WorkItemState.Queued, readContent: false).ToList();

            Assert.Equal(1200, listed.Select(i => i.Id).Distinct().Count());
            Assert.Equal(listed.OrderByDescending(i => i.Priority).ThenBy(i => i.Sequence).Select(i => i.Id), listed.Select(i => i.Id));
            Assert.Equal(1, queue.Position(listed[0].Id).Position);
            Assert.Equal(1101, queue.Position(listed[1100].Id).Position);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void Reading_a_queue_that_does_not_exist_is_a_clear_error_and_creates_nothing(string backend)
        {
            using QueueUnderTest t = Open(backend);
            IWorkQueue queue = t.Queue;

            Assert.Contains("does not exist", Assert.Throws<DirectoryNotFoundException>(() => queue.Count()).Message);
            Assert.Throws<DirectoryNotFoundException>(() => queue.List().ToList());
            Assert.Throws<DirectoryNotFoundException>(() => queue.Get("job"));
            Assert.Throws<DirectoryNotFoundException>(() => queue.Position("job"));
            Assert.True(t.NothingCreated(), "reading created the queue");
        }
    }
}
