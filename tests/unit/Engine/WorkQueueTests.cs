using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AgentState.IO;
using AgentState.Queue;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    public sealed class WorkQueueTests : IDisposable
    {
        private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
        private readonly TestFolder _folder = new TestFolder();
        private DateTimeOffset _now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        private readonly HashSet<int> _deadPids = new HashSet<int>();

        public void Dispose() => _folder.Dispose();

        private string QueuePath => _folder.File("queue");

        private FolderWorkQueue Open() => new FolderWorkQueue(QueuePath, TimeSpan.FromSeconds(30), () => _now, h => _deadPids.Contains(h.ProcessId));

        private static LeaseHolder Holder(int pid) => new LeaseHolder(pid, null, LeaseHolder.ThisHost);

        private static WorkItemDraft Draft(string id, int priority = 0, string payload = "{\"n\":1}") => new WorkItemDraft(id, payload) { Priority = priority };

        [Fact]
        public void Items_are_claimed_highest_priority_first_and_fifo_within_a_priority()
        {
            FolderWorkQueue queue = Open();
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

        [Fact]
        public void A_claim_carries_the_payload_a_lease_and_one_attempt()
        {
            FolderWorkQueue queue = Open();
            queue.Enqueue(new WorkItemDraft("build-42", "{\"repo\":\"x\",\"tries\":[1,2]}") { Priority = 3, MaxAttempts = 4 });

            WorkItem item = queue.Claim(Holder(100), TimeSpan.FromSeconds(90))!;

            Assert.Equal(WorkItemState.Claimed, item.State);
            Assert.Equal("{\"repo\":\"x\",\"tries\":[1,2]}", item.PayloadJson);
            Assert.Equal(3, item.Priority);
            Assert.Equal(4, item.MaxAttempts);
            Assert.Equal(1, item.Attempts);
            Assert.Equal(100, item.HolderProcessId);
            Assert.Equal(_now.AddSeconds(90), item.LeaseExpires);
            Assert.False(string.IsNullOrEmpty(item.LeaseToken));
            Assert.Null(queue.Claim(Holder(101), Lease));
        }

        [Fact]
        public void Sequence_numbers_keep_rising_across_producers_sharing_the_folder()
        {
            var seen = new List<long>();
            for (int i = 0; i < 6; i++)
            {
                seen.Add(Open().Enqueue(Draft("item-" + i)).Sequence);
            }

            Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6 }, seen);
            Assert.Equal(new[] { "000000000006" }, Directory.GetFiles(Path.Combine(QueuePath, "seq")).Select(Path.GetFileName));
        }

        [Fact]
        public void Position_counts_the_items_claimed_before_this_one()
        {
            FolderWorkQueue queue = Open();
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

        [Fact]
        public void Position_finds_items_across_many_buckets()
        {
            FolderWorkQueue queue = Open();
            for (int i = 0; i < 2100; i++)
            {
                queue.Enqueue(Draft("i" + i));
            }

            Assert.Equal(3, Directory.GetDirectories(Path.Combine(QueuePath, "ready", "p000")).Length);
            Assert.Equal(1, queue.Position("i0").Position);
            Assert.Equal(1024, queue.Position("i1023").Position);
            Assert.Equal(1025, queue.Position("i1024").Position);
            Assert.Equal(2100, queue.Position("i2099").Position);
        }

        [Fact]
        public void Position_is_the_same_with_the_ids_hint_stale_or_missing()
        {
            FolderWorkQueue queue = Open();
            for (int i = 0; i < 2100; i++)
            {
                queue.Enqueue(Draft("i" + i, i % 3));
            }

            for (int i = 0; i < 100; i++)
            {
                WorkItem claimed = queue.Claim(Holder(100), Lease)!;
                queue.Complete(claimed.Id, claimed.LeaseToken!);
            }

            string[] probes = { "i0", "i1", "i2", "i1500", "i2097", "i2098", "i2099", "i700" };
            int?[] hinted = probes.Select(id => queue.Position(id).Position).ToArray();
            string ids = Path.Combine(QueuePath, "ids");
            File.WriteAllText(Path.Combine(ids, "i1500"), "1 999999");
            File.WriteAllText(Path.Combine(ids, "i2097"), "garbage");
            File.WriteAllBytes(Path.Combine(ids, "i2098"), Array.Empty<byte>());
            File.Delete(Path.Combine(ids, "i2099"));
            int?[] scanned = probes.Select(id => queue.Position(id).Position).ToArray();

            // Priority 2 first (700 items, the first 100 of which were claimed), then 1 (700), then 0 (700), each spread
            // over three buckets: i1500 is the 501st item of priority 0, behind 600 + 700 others.
            Assert.Equal(new int?[] { 1301, 601, null, 1801, 2000, 1300, 600, 834 }, hinted);
            Assert.Equal(hinted, scanned);
        }

        [Fact]
        public void Counting_a_folders_entries_matches_its_listing_and_refuses_a_link()
        {
            string folder = _folder.File("many");
            Directory.CreateDirectory(folder);
            for (int i = 0; i < 1500; i++)
            {
                File.WriteAllBytes(Path.Combine(folder, "entry-with-a-longish-name-" + i), Array.Empty<byte>());
            }

            Directory.CreateDirectory(Path.Combine(folder, "sub"));
            File.CreateSymbolicLink(_folder.File("link"), folder);

            Assert.Equal(1501, AgentState.Platform.NativePlatform.Current.CountEntries(folder));
            Assert.Null(AgentState.Platform.NativePlatform.Current.CountEntries(_folder.File("link")));
            Assert.Null(AgentState.Platform.NativePlatform.Current.CountEntries(_folder.File("missing")));
        }

        [Fact]
        public void An_item_is_not_claimed_before_its_not_before_time()
        {
            FolderWorkQueue queue = Open();
            queue.Enqueue(new WorkItemDraft("later", "1") { NotBefore = _now.AddMinutes(10) });
            queue.Enqueue(Draft("now"));

            Assert.Equal("now", queue.Claim(Holder(100), Lease)!.Id);
            Assert.Null(queue.Claim(Holder(100), Lease));

            _now = _now.AddMinutes(10);
            Assert.Equal("later", queue.Claim(Holder(100), Lease)!.Id);
        }

        [Fact]
        public void At_capacity_enqueue_fails_clearly_and_leaves_nothing_behind()
        {
            FolderWorkQueue queue = Open();
            queue.Enqueue(Draft("a"), capacity: 2);
            queue.Enqueue(Draft("b"), capacity: 2);

            var error = Assert.Throws<WorkQueueFullException>(() => queue.Enqueue(Draft("c"), capacity: 2));

            Assert.Contains("is full", error.Message);
            Assert.Contains(QueuePath, error.Message);
            Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(QueuePath, "tmp")));
            Assert.False(File.Exists(Path.Combine(QueuePath, "ids", "c")));
            Assert.Equal(2, queue.Count()[WorkItemState.Queued]);
        }

        [Fact]
        public void Claimed_items_count_against_capacity_and_completed_ones_do_not()
        {
            FolderWorkQueue queue = Open();
            queue.Enqueue(Draft("a"), capacity: 1);
            WorkItem claimed = queue.Claim(Holder(100), Lease)!;
            Assert.Throws<WorkQueueFullException>(() => queue.Enqueue(Draft("b"), capacity: 1));

            queue.Complete(claimed.Id, claimed.LeaseToken!);

            Assert.Equal("b", queue.Enqueue(Draft("b"), capacity: 1).Id);
        }

        [Fact]
        public async Task A_full_queue_makes_enqueue_wait_until_room_is_made()
        {
            FolderWorkQueue queue = Open();
            queue.Enqueue(Draft("a"), capacity: 1);
            WorkItem claimed = queue.Claim(Holder(100), Lease)!;

            Task<WorkItem> waiting = Task.Run(() => queue.Enqueue(Draft("b"), capacity: 1, capacityWait: TimeSpan.FromMinutes(5)));
            Assert.False(waiting.IsCompleted);
            queue.Complete(claimed.Id, claimed.LeaseToken!);

            Assert.True(await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromMinutes(2))) == waiting, "the waiting enqueue never got in");
            Assert.Equal(WorkItemState.Queued, (await waiting).State);
        }

        [Fact]
        public void A_renewed_lease_outlives_the_first_expiry_and_an_expired_one_returns_the_item()
        {
            FolderWorkQueue queue = Open();
            queue.Enqueue(Draft("job"));
            WorkItem first = queue.Claim(Holder(100), TimeSpan.FromMinutes(1))!;

            _now = _now.AddSeconds(50);
            WorkItem renewed = queue.Renew("job", first.LeaseToken!, TimeSpan.FromMinutes(1));
            Assert.Equal(_now.AddMinutes(1), renewed.LeaseExpires);

            _now = _now.AddSeconds(50); // past the first expiry, before the renewed one
            Assert.Null(queue.Claim(Holder(200), Lease));
            Assert.Equal(WorkItemState.Claimed, queue.Get("job").State);

            _now = _now.AddSeconds(11); // past the renewed expiry
            WorkItem again = queue.Claim(Holder(200), Lease)!;
            Assert.Equal("job", again.Id);
            Assert.Equal(2, again.Attempts);
            Assert.Contains("lease of process 100 expired", again.LastError);

            Assert.Throws<LeaseLostException>(() => queue.Complete("job", first.LeaseToken!));
            Assert.Throws<LeaseLostException>(() => queue.Renew("job", first.LeaseToken!, Lease));
            Assert.Equal(WorkItemState.Completed, queue.Complete("job", again.LeaseToken!).State);
        }

        [Fact]
        public void The_item_of_a_dead_holder_returns_at_the_next_claim()
        {
            FolderWorkQueue queue = Open();
            queue.Enqueue(Draft("job"));
            queue.Claim(Holder(100), Lease);
            Assert.Null(queue.Claim(Holder(200), Lease));

            _deadPids.Add(100);
            WorkItem again = queue.Claim(Holder(200), Lease)!;

            Assert.Equal("job", again.Id);
            Assert.Equal(2, again.Attempts);
            Assert.Contains("process 100, died", again.LastError);
        }

        [Fact]
        public void A_holder_process_that_exited_is_known_dead_and_a_live_one_is_not()
        {
            using Process child = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
            LeaseHolder holder = LeaseHolder.ForProcess(child.Id);
            child.WaitForExit();

            Assert.True(holder.IsKnownDead());
            Assert.False(LeaseHolder.Current.IsKnownDead());
            Assert.False(new LeaseHolder(child.Id, null, "0badc0de").IsKnownDead()); // another host: only expiry counts there
        }

        [Fact]
        public void A_reused_pid_with_another_start_time_is_dead()
        {
            LeaseHolder me = LeaseHolder.Current;
            var impostor = new LeaseHolder(me.ProcessId, me.StartTime!.Value.AddMinutes(-5), LeaseHolder.ThisHost);

            Assert.True(impostor.IsKnownDead());
        }

        [Fact]
        public void Failing_returns_the_item_after_the_delay_and_past_the_maximum_it_is_a_dead_letter()
        {
            FolderWorkQueue queue = Open();
            queue.Enqueue(new WorkItemDraft("flaky", "{}") { MaxAttempts = 2 });

            WorkItem first = queue.Claim(Holder(100), Lease)!;
            WorkItem back = queue.Fail("flaky", first.LeaseToken!, "network down", TimeSpan.FromSeconds(30));
            Assert.Equal(WorkItemState.Queued, back.State);
            Assert.Equal(_now.AddSeconds(30), back.NotBefore);
            Assert.Null(queue.Claim(Holder(100), Lease));

            _now = _now.AddSeconds(30);
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

        [Fact]
        public void An_expired_lease_past_the_maximum_sends_the_item_to_the_dead_letters()
        {
            FolderWorkQueue queue = Open();
            queue.Enqueue(new WorkItemDraft("once", "{}") { MaxAttempts = 1 });
            queue.Claim(Holder(100), TimeSpan.FromSeconds(1));

            _now = _now.AddSeconds(2);
            Assert.Null(queue.Claim(Holder(200), Lease));

            WorkItem dead = queue.Get("once");
            Assert.Equal(WorkItemState.DeadLetter, dead.State);
            Assert.Contains("expired", dead.LastError);
        }

        [Fact]
        public void A_wrong_token_changes_nothing()
        {
            FolderWorkQueue queue = Open();
            queue.Enqueue(Draft("job"));
            WorkItem claim = queue.Claim(Holder(100), Lease)!;

            Assert.Throws<LeaseLostException>(() => queue.Complete("job", "not-the-token"));
            Assert.Throws<LeaseLostException>(() => queue.Fail("job", "not-the-token", "x", TimeSpan.Zero));
            Assert.Throws<WorkItemNotFoundException>(() => queue.Complete("other", claim.LeaseToken!));

            Assert.Equal(claim.Path, queue.Get("job").Path);
        }

        [Fact]
        public void Ids_are_unique_in_the_queue_whatever_the_state()
        {
            FolderWorkQueue queue = Open();
            queue.Enqueue(Draft("job"));
            Assert.Equal(WorkItemState.Queued, Assert.Throws<DuplicateWorkItemException>(() => queue.Enqueue(Draft("job"))).State);

            WorkItem claim = queue.Claim(Holder(100), Lease)!;
            queue.Complete("job", claim.LeaseToken!);

            Assert.Equal(WorkItemState.Completed, Assert.Throws<DuplicateWorkItemException>(() => queue.Enqueue(Draft("job"))).State);
            Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(QueuePath, "tmp")));
        }

        [Fact]
        public void An_id_taken_by_a_producer_that_died_before_placing_its_item_is_taken_over()
        {
            FolderWorkQueue queue = Open();
            queue.Enqueue(Draft("other"));
            File.WriteAllBytes(Path.Combine(QueuePath, "ids", "job"), Array.Empty<byte>());

            Assert.Equal(WorkItemState.Queued, queue.Enqueue(Draft("job")).State);
        }

        [Fact]
        public void The_temp_file_of_a_producer_that_died_is_removed_and_never_queued()
        {
            FolderWorkQueue queue = Open();
            queue.Enqueue(Draft("real"));
            string orphan = Path.Combine(QueuePath, "tmp", "4242.0.0123456789abcdef");
            File.WriteAllText(orphan, "{\"id\":\"half\"");
            string alive = Path.Combine(QueuePath, "tmp", "4343.0.0123456789abcdef");
            File.WriteAllText(alive, "{}");
            _deadPids.Add(4242);

            Assert.Equal("real", queue.Claim(Holder(100), Lease)!.Id);

            Assert.False(File.Exists(orphan));
            Assert.True(File.Exists(alive));
        }

        [Theory]
        [InlineData("../escape")]
        [InlineData("a/b")]
        [InlineData("")]
        [InlineData(".hidden")]
        public void A_bad_id_is_refused_before_anything_is_written(string id)
        {
            FolderWorkQueue queue = Open();

            Assert.Throws<InvalidInputException>(() => queue.Enqueue(Draft(id)));

            Assert.False(Directory.Exists(QueuePath));
        }

        [Fact]
        public void A_bad_payload_priority_or_maximum_is_refused_naming_the_item()
        {
            FolderWorkQueue queue = Open();

            Assert.Contains("'job'", Assert.Throws<InvalidInputException>(() => queue.Enqueue(new WorkItemDraft("job", "{not json"))).Message);
            Assert.Contains("priority 1000", Assert.Throws<InvalidInputException>(() => queue.Enqueue(Draft("job", 1000))).Message);
            Assert.Contains("at least 1", Assert.Throws<InvalidInputException>(() => queue.Enqueue(new WorkItemDraft("job", "1") { MaxAttempts = 0 })).Message);
            Assert.False(Directory.Exists(QueuePath));
        }

        [Fact]
        public void A_corrupt_item_file_becomes_a_dead_letter_and_the_next_item_is_claimed()
        {
            FolderWorkQueue queue = Open();
            WorkItem broken = queue.Enqueue(Draft("broken"));
            queue.Enqueue(Draft("fine"));
            File.WriteAllText(broken.Path, "garbage");

            Assert.Equal("fine", queue.Claim(Holder(100), Lease)!.Id);

            WorkItem dead = queue.List(WorkItemState.DeadLetter, readContent: false).Single();
            Assert.Equal("broken", dead.Id);
            Assert.Contains("is not a work item", File.ReadAllText(Path.Combine(QueuePath, "errors", "000000000001.json")));
            Assert.Equal(1, queue.Count()[WorkItemState.Claimed]);
        }

        [Fact]
        public void Concurrent_claimers_each_get_different_items_and_every_item_once()
        {
            FolderWorkQueue queue = Open();
            for (int i = 0; i < 200; i++)
            {
                queue.Enqueue(Draft("i" + i));
            }

            var claimed = new ConcurrentBag<string>();
            Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
            {
                var mine = new FolderWorkQueue(QueuePath, TimeSpan.FromSeconds(60), () => _now, _ => false);
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

        [Fact]
        public void List_and_count_report_every_state_in_fifo_order()
        {
            FolderWorkQueue queue = Open();
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
        }

        [Fact]
        public void Reading_a_queue_that_does_not_exist_is_a_clear_error_and_creates_nothing()
        {
            FolderWorkQueue queue = Open();

            Assert.Contains("does not exist", Assert.Throws<DirectoryNotFoundException>(() => queue.Count()).Message);
            Assert.Throws<DirectoryNotFoundException>(() => queue.List().ToList());
            Assert.False(Directory.Exists(QueuePath));
        }

        [Fact]
        public void A_queue_folder_that_is_a_link_is_refused()
        {
            Directory.CreateDirectory(_folder.File("elsewhere"));
            File.CreateSymbolicLink(QueuePath, _folder.File("elsewhere"));

            Assert.Throws<UnsafePathException>(() => Open().Enqueue(Draft("job")));
            Assert.Empty(Directory.GetFileSystemEntries(_folder.File("elsewhere")));
        }

        [Fact]
        public void A_state_folder_swapped_for_a_link_is_refused()
        {
            FolderWorkQueue queue = Open();
            queue.Enqueue(Draft("job"));
            string claimed = Path.Combine(QueuePath, "claimed");
            Directory.Delete(claimed);
            Directory.CreateDirectory(_folder.File("elsewhere"));
            File.CreateSymbolicLink(claimed, _folder.File("elsewhere"));

            Assert.Throws<UnsafePathException>(() => queue.Claim(Holder(100), Lease));
            Assert.Empty(Directory.GetFileSystemEntries(_folder.File("elsewhere")));
            Assert.Equal(1, queue.Position("job").Position);
        }
    }
}
