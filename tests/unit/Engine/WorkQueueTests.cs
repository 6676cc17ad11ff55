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
    /// <summary>
    /// What only the folder queue has: its layout, buckets, hints, temp files, links and Maildir names. The rules every
    /// backend shares are tested on each of them in Postgres/WorkQueueBackendTests.
    /// </summary>
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
