using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using AgentState.IO;
using AgentState.Locking;

namespace AgentState.Queue
{
    /// <summary>Claims, leases, and the transitions out of a claim.</summary>
    public sealed partial class FolderWorkQueue
    {
        /// <inheritdoc/>
        public WorkItem? Claim(LeaseHolder holder, TimeSpan lease, TimeSpan wait = default, CancellationToken cancellation = default)
        {
            IReadOnlyList<WorkItem> claimed = ClaimMany(holder, lease, 1, wait, cancellation);
            return claimed.Count == 0 ? null : claimed[0];
        }

        /// <inheritdoc/>
        public IReadOnlyList<WorkItem> ClaimMany(LeaseHolder holder, TimeSpan lease, int count, TimeSpan wait = default, CancellationToken cancellation = default)
        {
            if (holder == null)
            {
                throw new ArgumentNullException(nameof(holder));
            }

            WorkItemRules.CheckLease(lease);
            WorkItemRules.CheckClaimCount(count);

            EnsureCreated();
            DateTimeOffset waitUntil = DateTimeOffset.UtcNow + wait;
            var poll = new Random(unchecked(Environment.TickCount ^ holder.ProcessId));
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                var claimed = new List<Claimed>();
                using (ExclusiveFileLock.AcquireBeside(Sub("queue"), _lockTimeout, cancellation))
                {
                    DateTimeOffset now = _now();
                    SweepLocked(now);
                    while (claimed.Count < count && ClaimNextLocked(holder, lease, now) is Claimed next)
                    {
                        claimed.Add(next);
                    }
                }

                if (claimed.Count > 0)
                {
                    // Durable after the lock is let go: the renames are already visible, and the next claimer need not wait for the disk.
                    Flush(Sub("claimed"));
                    foreach (string from in claimed.Select(c => c.From).Distinct(StringComparer.Ordinal))
                    {
                        FlushIfPresent(from);
                    }

                    var items = new List<WorkItem>(claimed.Count);
                    foreach (Claimed one in claimed)
                    {
                        WorkItem item = ToItem(new Entry(WorkItemState.Claimed, Sub("claimed"), one.Name.ClaimedName(), one.Name));
                        try
                        {
                            ReadContent(item);
                            items.Add(item);
                        }
                        catch (Exception ex) when (ex is InvalidDataException || ex is UnsafePathException)
                        {
                            // Nothing can ever work on it: a dead letter with the reason, and on to the next item.
                            FinishLocked(one.Name, toDead: true, ex.Message, TimeSpan.Zero, takeLock: true);
                        }
                    }

                    if (items.Count > 0)
                    {
                        return items;
                    }

                    continue;
                }

                if (DateTimeOffset.UtcNow >= waitUntil)
                {
                    return Array.Empty<WorkItem>();
                }

                cancellation.WaitHandle.WaitOne(poll.Next(10, 50));
            }
        }

        /// <inheritdoc/>
        public WorkItem Renew(string id, string leaseToken, TimeSpan lease)
        {
            WorkItemRules.CheckLease(lease);

            QueueEntryName held = FindClaim(id, leaseToken);
            string old = held.ClaimedName();
            held.ExpiresTicks = (_now() + lease).UtcTicks;
            if (!TryMove(Sub("claimed", old), Sub("claimed"), held.ClaimedName()))
            {
                throw LostLease(id);
            }

            Flush(Sub("claimed"));
            return ToItem(new Entry(WorkItemState.Claimed, Sub("claimed"), held.ClaimedName(), held));
        }

        /// <inheritdoc/>
        public WorkItem Complete(string id, string leaseToken)
        {
            QueueEntryName held = FindClaim(id, leaseToken);
            if (!TryMove(Sub("claimed", held.ClaimedName()), Sub("done"), held.FinishedName()))
            {
                throw LostLease(id);
            }

            Flush(Sub("done"));
            Flush(Sub("claimed"));
            return ToItem(new Entry(WorkItemState.Completed, Sub("done"), held.FinishedName(), held));
        }

        /// <inheritdoc/>
        public WorkItem Fail(string id, string leaseToken, string error, TimeSpan retryAfter)
        {
            WorkItemRules.CheckRetryAfter(retryAfter);

            QueueEntryName held = FindClaim(id, leaseToken);
            WorkItem item = ToItem(new Entry(WorkItemState.Claimed, Sub("claimed"), held.ClaimedName(), held));
            ReadContent(item);
            bool toDead = held.Attempts >= item.MaxAttempts;
            Entry? result = FinishLocked(held, toDead, WorkItemRules.FailureText(error), retryAfter, takeLock: true);
            if (result == null)
            {
                throw LostLease(id);
            }

            WorkItem after = ToItem(result.Value);
            after.MaxAttempts = item.MaxAttempts;
            after.PayloadJson = item.PayloadJson;
            after.EnqueuedAt = item.EnqueuedAt;
            after.LastError = error;
            return after;
        }

        /// <summary>The caller's claim, or <see cref="LeaseLostException"/> (nothing changed) when it is not theirs now.</summary>
        private QueueEntryName FindClaim(string id, string leaseToken)
        {
            WorkItemRules.CheckId(id);
            ThrowIfMissing();
            foreach (string name in Names(Sub("claimed")))
            {
                if (QueueEntryName.EndsWithId(name, id) && QueueEntryName.ParseClaimed(name) is QueueEntryName held && held.Id == id)
                {
                    if (!string.Equals(held.Token, leaseToken, StringComparison.Ordinal))
                    {
                        break;
                    }

                    return held;
                }
            }

            throw LostLease(id);
        }

        /// <summary>A pid means something only on its own host: a holder elsewhere is judged by its lease alone.</summary>
        private bool IsDeadHere(LeaseHolder holder) =>
            string.Equals(holder.HostHash, LeaseHolder.ThisHost, StringComparison.OrdinalIgnoreCase) && _isDead(holder);

        private Exception LostLease(string id)
        {
            Entry? now = FindEntry(id);
            return now == null ? new WorkItemNotFoundException(Location, id) : (Exception)new LeaseLostException(Location, id, now.Value.State);
        }

        /// <summary>Returns every claim whose lease ran out or whose holder died; removes temp files of producers that died.</summary>
        private void SweepLocked(DateTimeOffset now)
        {
            foreach (string name in Names(Sub("claimed")).ToArray())
            {
                if (!(QueueEntryName.ParseClaimed(name) is QueueEntryName held))
                {
                    continue;
                }

                string? reason = held.ExpiresTicks <= now.UtcTicks
                    ? WorkItemRules.LeaseExpired(held.HolderPid, new DateTimeOffset(held.ExpiresTicks, TimeSpan.Zero))
                    : IsDeadHere(held.Holder) ? WorkItemRules.HolderDied(held.HolderPid) : null;
                if (reason == null)
                {
                    continue;
                }

                var item = ToItem(new Entry(WorkItemState.Claimed, Sub("claimed"), name, held));
                int maxAttempts;
                try
                {
                    ReadContent(item);
                    maxAttempts = item.MaxAttempts ?? 1;
                }
                catch (Exception ex) when (ex is InvalidDataException || ex is UnsafePathException)
                {
                    reason += "; " + ex.Message;
                    maxAttempts = 0;
                }
                catch (FileNotFoundException)
                {
                    continue; // Completed or renewed by its holder just now.
                }

                FinishLocked(held, held.Attempts >= maxAttempts, reason, TimeSpan.Zero, takeLock: false);
            }

            foreach (string name in Names(Sub("tmp")).ToArray())
            {
                string[] parts = name.Split('.');
                if (parts.Length == 3 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                    && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long start)
                    && _isDead(new LeaseHolder(pid, start == 0 ? (DateTimeOffset?)null : new DateTimeOffset(start, TimeSpan.Zero), LeaseHolder.ThisHost)))
                {
                    // A producer killed before its item was placed: that item was never queued (its producer was never told so).
                    File.Delete(Sub("tmp", name));
                }
            }
        }

        /// <summary>The first due item in claim order moved into claimed/ under a new lease; null when none is due.</summary>
        private Claimed? ClaimNextLocked(LeaseHolder holder, TimeSpan lease, DateTimeOffset now)
        {
            foreach (string priorityFolder in Names(Sub("ready")).Where(n => n.Length == 4 && n[0] == 'p').OrderByDescending(n => n, StringComparer.Ordinal).ToArray())
            {
                int priority = int.Parse(priorityFolder.Substring(1), NumberStyles.None, CultureInfo.InvariantCulture);
                string[] buckets = Names(Sub("ready", priorityFolder)).OrderBy(n => n, StringComparer.Ordinal).ToArray();
                for (int b = 0; b < buckets.Length; b++)
                {
                    string bucket = System.IO.Path.Combine(Sub("ready", priorityFolder), buckets[b]);
                    string[] names = Names(bucket).OrderBy(n => n, StringComparer.Ordinal).ToArray();
                    if (names.Length == 0 && b < buckets.Length - 1)
                    {
                        // Drained: only items returning to it would refill it, and they recreate it. The last one stays for the next producer.
                        TryRemoveFolder(bucket);
                        continue;
                    }

                    foreach (string name in names)
                    {
                        if (!(QueueEntryName.ParseQueued(name, priority) is QueueEntryName entry) || entry.NotBeforeTicks > now.UtcTicks)
                        {
                            continue;
                        }

                        entry.Attempts++;
                        entry.Token = Guid.NewGuid().ToString("n").Substring(0, 16);
                        entry.HolderPid = holder.ProcessId;
                        entry.HolderStartTicks = holder.StartTime?.UtcTicks ?? 0;
                        entry.HolderHost = holder.HostHash;
                        entry.ExpiresTicks = (now + lease).UtcTicks;
                        MoveOrFail(System.IO.Path.Combine(bucket, name), Sub("claimed"), entry.ClaimedName());
                        return new Claimed(entry, bucket);
                    }
                }
            }

            return null;
        }

        /// <summary>
        /// Moves a claim on: to the dead letters, or back to its place in the queue due after <paramref name="retryAfter"/>,
        /// recording <paramref name="error"/> first. Null when the claim was no longer there to move.
        /// </summary>
        private Entry? FinishLocked(QueueEntryName held, bool toDead, string error, TimeSpan retryAfter, bool takeLock)
        {
            using (takeLock ? ExclusiveFileLock.AcquireBeside(Sub("queue"), _lockTimeout) : null)
            {
                DateTimeOffset now = _now();
                string from = Sub("claimed", held.ClaimedName());
                if (!PlainFile.Exists(from))
                {
                    return null;
                }

                // The error first: a crash between the two leaves the item claimed (it returns again) with its error on record.
                _writer.Write(Sub("errors", QueueEntryName.SequenceText(held.Sequence) + ".json"), WorkItemContent.SerializeError(held.Id, held.Attempts, error, now), ErrorWrite);
                string folder;
                string name;
                WorkItemState state;
                if (toDead)
                {
                    folder = Sub("dead");
                    name = held.FinishedName();
                    state = WorkItemState.DeadLetter;
                }
                else
                {
                    folder = EnsureBucket(held.Priority, held.Sequence);
                    held.NotBeforeTicks = retryAfter > TimeSpan.Zero ? (now + retryAfter).UtcTicks : 0;
                    name = held.QueuedName();
                    state = WorkItemState.Queued;
                }

                if (!TryMove(from, folder, name))
                {
                    return null;
                }

                Flush(folder);
                Flush(Sub("claimed"));
                return new Entry(state, folder, name, held);
            }
        }

        private static void TryRemoveFolder(string folder)
        {
            try
            {
                Directory.Delete(folder, recursive: false);
            }
            catch (IOException)
            {
                // Not empty after all (something foreign in it): it stays.
            }
        }

        private sealed class Claimed
        {
            public Claimed(QueueEntryName name, string from)
            {
                Name = name;
                From = from;
            }

            public QueueEntryName Name { get; }

            public string From { get; }
        }
    }
}
