using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using AgentState.IO;
using AgentState.Locking;
using AgentState.Platform;
using AgentState.Text;

namespace AgentState.Queue
{
    /// <summary>
    /// A work queue in a folder that many processes share with no server, in the manner of Maildir: an item is one
    /// immutable file whose name carries what changes (attempts, lease, due time) and whose folder is its state; every
    /// transition is one rename into a pinned folder that never replaces, followed by a folder fsync, so a crash at any
    /// moment leaves each item in exactly one state. Producers and claims take a short lock on <c>queue.lock</c> so
    /// that sequence numbers are given out, and items are claimed, in one order (FIFO within a priority).
    /// </summary>
    /// <remarks>
    /// Layout: <c>tmp/</c> (items being written), <c>seq/</c> (one empty file named by the last sequence number),
    /// <c>ids/</c> (one empty file per id: ids are unique), <c>ready/p&lt;priority&gt;/&lt;bucket&gt;/</c> (queued items, 1024
    /// sequence numbers per bucket so a claim reads one small folder), <c>claimed/</c>, <c>done/</c>, <c>dead/</c>,
    /// <c>errors/</c> (each item's last error, replaced atomically). See <see cref="QueueEntryName"/>.
    /// </remarks>
    public sealed partial class FolderWorkQueue : IWorkQueue
    {
        private const string Role = "work queue folder";
        private static readonly string[] StateFolders = { "tmp", "seq", "ids", "ready", "claimed", "done", "dead", "errors" };
        private static readonly AtomicWriteOptions ErrorWrite = new AtomicWriteOptions { FollowLinks = false };
        private readonly TimeSpan _lockTimeout;
        private readonly Func<DateTimeOffset> _now;
        private readonly Func<LeaseHolder, bool> _isDead;
        private readonly AtomicFileWriter _writer = new AtomicFileWriter();

        /// <summary>The queue in <paramref name="path"/>, with the real clock and process liveness.</summary>
        public FolderWorkQueue(string path, TimeSpan? lockTimeout = null)
            : this(path, lockTimeout, null, null)
        {
        }

        /// <summary>The queue in <paramref name="path"/> with the given clock and liveness check (for tests).</summary>
        public FolderWorkQueue(string path, TimeSpan? lockTimeout, Func<DateTimeOffset>? now, Func<LeaseHolder, bool>? isDead)
        {
            if (string.IsNullOrEmpty(path))
            {
                throw new InvalidInputException("The queue's folder is empty.", nameof(path));
            }

            Location = System.IO.Path.GetFullPath(path);
            _lockTimeout = lockTimeout ?? TimeSpan.FromSeconds(30);
            _now = now ?? (() => DateTimeOffset.UtcNow);
            _isDead = isDead ?? (holder => holder.IsKnownDead());
        }

        /// <inheritdoc/>
        public string Location { get; }

        /// <inheritdoc/>
        public WorkItem Enqueue(WorkItemDraft draft, int? capacity = null, TimeSpan capacityWait = default, CancellationToken cancellation = default)
        {
            WorkItemRules.CheckDraft(draft);
            WorkItemRules.CheckCapacity(capacity);

            EnsureCreated();
            DateTimeOffset enqueuedAt = _now();
            byte[] content = WorkItemContent.Serialize(draft, enqueuedAt);

            // Written and flushed outside the lock: the lock covers only the renames that give the item its place.
            string temp = WriteTemp(content);
            try
            {
                DateTimeOffset waitUntil = DateTimeOffset.UtcNow + capacityWait;
                var poll = new Random(unchecked(Environment.TickCount ^ temp.GetHashCode()));
                WorkItem? placed = null;
                while (true)
                {
                    cancellation.ThrowIfCancellationRequested();
                    using (ExclusiveFileLock.AcquireBeside(Sub("queue"), _lockTimeout, cancellation))
                    {
                        if (capacity == null || CountUnfinished() < capacity.Value)
                        {
                            placed = PlaceLocked(draft, temp, enqueuedAt);
                        }
                    }

                    if (placed != null)
                    {
                        // After the lock: the rename is visible already; its folder's fsync need not hold up other producers.
                        FlushIfPresent(System.IO.Path.GetDirectoryName(placed.Path)!);
                        return placed;
                    }

                    if (DateTimeOffset.UtcNow >= waitUntil)
                    {
                        throw new WorkQueueFullException(Location, capacity!.Value, capacityWait);
                    }

                    cancellation.WaitHandle.WaitOne(poll.Next(5, 25));
                }
            }
            finally
            {
                // Gone once placed; left only by a failure, which must leave nothing half-written behind.
                if (File.Exists(temp))
                {
                    File.Delete(temp);
                }
            }
        }

        private WorkItem PlaceLocked(WorkItemDraft draft, string temp, DateTimeOffset enqueuedAt)
        {
            Reserve(draft.Id);
            bool placed = false;
            try
            {
                long sequence = NextSequence();
                WriteHint(draft.Id, draft.Priority, sequence);
                var name = new QueueEntryName
                {
                    Sequence = sequence,
                    Priority = draft.Priority,
                    Id = draft.Id,
                    NotBeforeTicks = draft.NotBefore?.UtcTicks ?? 0,
                };
                string bucket = EnsureBucket(draft.Priority, sequence);
                MoveOrFail(temp, bucket, name.QueuedName());
                placed = true;
                return new WorkItem(Location, draft.Id, WorkItemState.Queued, sequence, draft.Priority, 0)
                {
                    MaxAttempts = draft.MaxAttempts,
                    PayloadJson = draft.PayloadJson,
                    EnqueuedAt = enqueuedAt,
                    NotBefore = draft.NotBefore,
                    Path = System.IO.Path.Combine(bucket, name.QueuedName()),
                };
            }
            finally
            {
                if (!placed)
                {
                    File.Delete(Sub("ids", draft.Id));
                }
            }
        }

        /// <summary>Creates the queue's folders (refusing links), so that a first producer or consumer needs no set-up step.</summary>
        private void EnsureCreated()
        {
            if (Directory.Exists(Sub("errors")) && NativePlatform.Current.ReadLink(Location) == null)
            {
                return; // The common case: one check, not eight.
            }

            PlainFile.CreateFolder(Location, Role);
            foreach (string folder in StateFolders)
            {
                PlainFile.CreateFolder(Sub(folder), Role);
            }

            Flush(Location);
        }

        /// <summary>Throws a clear error when the queue was never created; reads must not create it.</summary>
        private void ThrowIfMissing()
        {
            PlainFile.RefuseLink(Location, Role);
            if (!Directory.Exists(Location) || !Directory.Exists(Sub("ready")))
            {
                throw new DirectoryNotFoundException($"The work queue '{Location}' does not exist (no items were ever queued there).");
            }
        }

        private string WriteTemp(byte[] content)
        {
            LeaseHolder me = LeaseHolder.Current;
            string path = Sub("tmp", string.Format(CultureInfo.InvariantCulture, "{0}.{1}.{2:x8}{3:x8}", me.ProcessId, me.StartTime?.UtcTicks ?? 0,
                Guid.NewGuid().GetHashCode(), Environment.TickCount));
            using (FileStream stream = NativePlatform.Current.OpenPlainFile(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, "work item temp file"))
            {
                stream.Write(content, 0, content.Length);
                stream.Flush(flushToDisk: true);
            }

            return path;
        }

        /// <summary>Takes the id: <c>ids/&lt;id&gt;</c> made with create-new. One left by a producer that died before placing its item is taken over.</summary>
        private void Reserve(string id)
        {
            string path = Sub("ids", id);
            try
            {
                NativePlatform.Current.OpenPlainFile(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, "work item id").Dispose();
            }
            catch (IOException) when (PlainFile.Exists(path))
            {
                if (FindEntry(id) is Entry existing)
                {
                    throw new DuplicateWorkItemException(Location, id, existing.State);
                }
            }

            // Durable before the item is placed, so that a durable item always has its id taken.
            Flush(Sub("ids"));
        }

        /// <summary>
        /// Writes "priority sequence" into the id's reservation: a hint, not fsynced, that lets Position go straight to the
        /// item's bucket. It is checked against the names on every use, so a missing or stale hint costs only speed.
        /// </summary>
        private void WriteHint(string id, int priority, long sequence)
        {
            byte[] hint = System.Text.Encoding.ASCII.GetBytes(priority.ToString(CultureInfo.InvariantCulture) + " " + sequence.ToString(CultureInfo.InvariantCulture));
            using (FileStream stream = NativePlatform.Current.OpenPlainFile(Sub("ids", id), FileMode.Open, FileAccess.Write, FileShare.ReadWrite, "work item id"))
            {
                stream.SetLength(0);
                stream.Write(hint, 0, hint.Length);
            }
        }

        /// <summary>The next sequence number: <c>seq/&lt;n&gt;</c> renamed to <c>n+1</c>. An empty file's rename needs only the folder's fsync.</summary>
        private long NextSequence()
        {
            string folder = Sub("seq");
            long[] numbers = Directory.EnumerateFileSystemEntries(folder)
                .Select(p => long.TryParse(System.IO.Path.GetFileName(p), NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : -1)
                .Where(n => n >= 0)
                .OrderByDescending(n => n)
                .ToArray();
            long next = (numbers.Length == 0 ? 0 : numbers[0]) + 1;
            string nextName = QueueEntryName.SequenceText(next);
            if (numbers.Length == 0)
            {
                NativePlatform.Current.OpenPlainFile(System.IO.Path.Combine(folder, nextName), FileMode.CreateNew, FileAccess.Write, FileShare.None, "queue sequence").Dispose();
            }
            else
            {
                MoveOrFail(System.IO.Path.Combine(folder, QueueEntryName.SequenceText(numbers[0])), folder, nextName);
            }

            Flush(folder);
            return next;
        }

        private string EnsureBucket(int priority, long sequence)
        {
            string priorityFolder = Sub("ready", QueueEntryName.PriorityFolder(priority));
            string bucket = System.IO.Path.Combine(priorityFolder, QueueEntryName.BucketFolder(sequence));
            if (!Directory.Exists(bucket))
            {
                bool newPriority = !Directory.Exists(priorityFolder);
                PlainFile.CreateFolder(bucket, Role);
                Flush(priorityFolder);
                if (newPriority)
                {
                    Flush(Sub("ready"));
                }
            }

            return bucket;
        }

        /// <summary>Renames into a pinned folder without replacing; a taken name is a broken invariant, never overwritten.</summary>
        private static void MoveOrFail(string source, string folder, string name)
        {
            using (PinnedFolder pinned = NativePlatform.Current.OpenPlainFolder(folder, Role))
            {
                if (!pinned.MoveInto(source, name))
                {
                    throw new IOException($"Cannot move '{source}' to '{System.IO.Path.Combine(folder, name)}': that name is already taken.");
                }
            }
        }

        /// <summary>Like <see cref="MoveOrFail"/>, but false when the source has gone (another process moved it first).</summary>
        private static bool TryMove(string source, string folder, string name)
        {
            try
            {
                MoveOrFail(source, folder, name);
                return true;
            }
            catch (IOException) when (!PlainFile.Exists(source))
            {
                return false;
            }
        }

        private static void Flush(string folder) => NativePlatform.Current.FlushDirectory(folder);

        /// <summary>
        /// Flushes a bucket a rename left, after the lock was let go: a claimer may have removed it since, drained, and a
        /// removed folder's entries cannot come back, so there is nothing left to flush.
        /// </summary>
        private static void FlushIfPresent(string folder)
        {
            try
            {
                Flush(folder);
            }
            catch (IOException) when (!Directory.Exists(folder))
            {
            }
        }

        private string Sub(string folder) => System.IO.Path.Combine(Location, folder);

        private string Sub(string folder, string name) => System.IO.Path.Combine(Location, folder, name);

        private static IEnumerable<string> Names(string folder)
        {
            PlainFile.RefuseLink(folder, Role);
            if (!Directory.Exists(folder))
            {
                return Array.Empty<string>();
            }

            return Directory.EnumerateFileSystemEntries(folder).Select(p => System.IO.Path.GetFileName(p)!);
        }
    }
}
