using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using AgentState.IO;

namespace AgentState.Queue
{
    /// <summary>Position, counts and listings: reads of names alone wherever the answer is in them.</summary>
    public sealed partial class FolderWorkQueue
    {
        /// <inheritdoc/>
        public WorkItemPosition Position(string id)
        {
            CheckId(id);
            ThrowIfMissing();

            // Claim order is priority folders from the highest, buckets and names in ordinal order: count what comes first.
            // Only names are read (no file is opened), and buckets ahead are counted without sorting.
            if (PositionFromHint(id) is WorkItemPosition quick)
            {
                return quick;
            }

            // Full paths as the listing gives them, never cut to names: one string per entry, not two (a bucket's paths share
            // their prefix, so they compare as the names do).
            int ahead = 0;
            foreach ((string bucket, int priority) in QueuedBuckets())
            {
                PlainFile.RefuseLink(bucket, Role);
                var paths = new List<string>(1024);
                string? mine = null;
                foreach (string path in Directory.EnumerateFileSystemEntries(bucket))
                {
                    paths.Add(path);
                    if (mine == null && QueueEntryName.EndsWithId(path, id) && QueueEntryName.ParseQueued(System.IO.Path.GetFileName(path), priority)?.Id == id)
                    {
                        mine = path;
                    }
                }

                if (mine == null)
                {
                    ahead += paths.Count;
                    continue;
                }

                ahead += paths.Count(n => string.CompareOrdinal(n, mine) < 0);
                return new WorkItemPosition(Location, id, WorkItemState.Queued, ahead + 1);
            }

            Entry entry = FindEntry(id) ?? throw new WorkItemNotFoundException(Location, id);
            return new WorkItemPosition(Location, id, entry.State, entry.State == WorkItemState.Queued ? (int?)ahead : null);
        }

        /// <summary>
        /// The fast way: the id's hint names the item's priority and sequence, so only its own bucket is listed; the buckets
        /// ahead are counted without decoding their names. Null when the hint is missing or no longer right.
        /// </summary>
        private WorkItemPosition? PositionFromHint(string id)
        {
            string[] hint;
            try
            {
                hint = System.Text.Encoding.ASCII.GetString(PlainFile.ReadAllBytes(Sub("ids", id), "work item id")).Split(' ');
            }
            catch (FileNotFoundException)
            {
                return null;
            }

            if (hint.Length != 2 || !int.TryParse(hint[0], NumberStyles.None, CultureInfo.InvariantCulture, out int priority)
                || !long.TryParse(hint[1], NumberStyles.None, CultureInfo.InvariantCulture, out long sequence))
            {
                return null;
            }

            string bucket = Sub("ready", QueueEntryName.PriorityFolder(priority));
            bucket = System.IO.Path.Combine(bucket, QueueEntryName.BucketFolder(sequence));
            string prefix = QueueEntryName.SequenceText(sequence) + ".";
            string? mine = null;
            var names = new List<string>(1024);
            foreach (string name in Names(bucket))
            {
                names.Add(name);
                if (name.StartsWith(prefix, StringComparison.Ordinal) && QueueEntryName.ParseQueued(name, priority)?.Id == id)
                {
                    mine = name;
                }
            }

            if (mine == null)
            {
                return null;
            }

            int ahead = names.Count(n => string.CompareOrdinal(n, mine) < 0);
            foreach ((string before, int _) in QueuedBuckets())
            {
                if (string.Equals(before, bucket, StringComparison.Ordinal))
                {
                    return new WorkItemPosition(Location, id, WorkItemState.Queued, ahead + 1);
                }

                ahead += (int)CountIn(before);
            }

            return null;
        }

        /// <inheritdoc/>
        public IReadOnlyDictionary<WorkItemState, int> Count()
        {
            ThrowIfMissing();
            return new Dictionary<WorkItemState, int>
            {
                [WorkItemState.Queued] = (int)QueuedBuckets().Sum(b => CountIn(b.Bucket)),
                [WorkItemState.Claimed] = Names(Sub("claimed")).Count(n => QueueEntryName.ParseClaimed(n) != null),
                [WorkItemState.Completed] = Names(Sub("done")).Count(n => QueueEntryName.ParseFinished(n) != null),
                [WorkItemState.DeadLetter] = Names(Sub("dead")).Count(n => QueueEntryName.ParseFinished(n) != null),
            };
        }

        /// <inheritdoc/>
        public IEnumerable<WorkItem> List(WorkItemState? state = null, bool readContent = true)
        {
            ThrowIfMissing();
            foreach (WorkItemState s in new[] { WorkItemState.Queued, WorkItemState.Claimed, WorkItemState.Completed, WorkItemState.DeadLetter })
            {
                if (state != null && state != s)
                {
                    continue;
                }

                foreach (Entry entry in Entries(s))
                {
                    WorkItem item = ToItem(entry);
                    if (readContent)
                    {
                        try
                        {
                            ReadContent(item);
                        }
                        catch (FileNotFoundException)
                        {
                            continue; // It moved on since the listing; it shows in its new state's listing.
                        }
                    }

                    yield return item;
                }
            }
        }

        /// <inheritdoc/>
        public WorkItem Get(string id)
        {
            CheckId(id);
            ThrowIfMissing();
            for (int attempt = 0; ; attempt++)
            {
                Entry entry = FindEntry(id) ?? throw new WorkItemNotFoundException(Location, id);
                WorkItem item = ToItem(entry);
                try
                {
                    ReadContent(item);
                    return item;
                }
                catch (FileNotFoundException) when (attempt < 10)
                {
                    // It changed state between the look-up and the read: look again.
                }
            }
        }

        private static void CheckId(string id) => WorkItemRules.CheckId(id);

        /// <summary>Queued and claimed items: what a capacity limits.</summary>
        private int CountUnfinished() =>
            (int)QueuedBuckets().Sum(b => CountIn(b.Bucket)) + Names(Sub("claimed")).Count();

        /// <summary>A bucket's entries, counted without decoding names where the platform can.</summary>
        private static long CountIn(string bucket)
        {
            PlainFile.RefuseLink(bucket, Role);
            return Platform.NativePlatform.Current.CountEntries(bucket) ?? Directory.EnumerateFileSystemEntries(bucket).LongCount();
        }

        /// <summary>The queued items' bucket folders in claim order.</summary>
        private IEnumerable<(string Bucket, int Priority)> QueuedBuckets()
        {
            foreach (string priorityFolder in Names(Sub("ready")).Where(n => n.Length == 4 && n[0] == 'p').OrderByDescending(n => n, StringComparer.Ordinal).ToArray())
            {
                if (!int.TryParse(priorityFolder.Substring(1), NumberStyles.None, CultureInfo.InvariantCulture, out int priority))
                {
                    continue;
                }

                foreach (string bucket in Names(Sub("ready", priorityFolder)).OrderBy(n => n, StringComparer.Ordinal).ToArray())
                {
                    yield return (System.IO.Path.Combine(Sub("ready", priorityFolder), bucket), priority);
                }
            }
        }

        private IEnumerable<Entry> Entries(WorkItemState state)
        {
            switch (state)
            {
                case WorkItemState.Queued:
                    foreach ((string bucket, int priority) in QueuedBuckets())
                    {
                        foreach (string name in Names(bucket).OrderBy(n => n, StringComparer.Ordinal))
                        {
                            if (QueueEntryName.ParseQueued(name, priority) is QueueEntryName parsed)
                            {
                                yield return new Entry(state, bucket, name, parsed);
                            }
                        }
                    }

                    break;
                case WorkItemState.Claimed:
                    foreach (string name in Names(Sub("claimed")).OrderBy(n => n, StringComparer.Ordinal))
                    {
                        if (QueueEntryName.ParseClaimed(name) is QueueEntryName parsed)
                        {
                            yield return new Entry(state, Sub("claimed"), name, parsed);
                        }
                    }

                    break;
                default:
                    string folder = Sub(state == WorkItemState.Completed ? "done" : "dead");
                    foreach (string name in Names(folder).OrderBy(n => n, StringComparer.Ordinal))
                    {
                        if (QueueEntryName.ParseFinished(name) is QueueEntryName parsed)
                        {
                            yield return new Entry(state, folder, name, parsed);
                        }
                    }

                    break;
            }
        }

        /// <summary>Where the item with this id is now, looking in the small folders first; null when nowhere.</summary>
        private Entry? FindEntry(string id)
        {
            foreach (WorkItemState state in new[] { WorkItemState.Claimed, WorkItemState.Queued, WorkItemState.DeadLetter, WorkItemState.Completed })
            {
                foreach (Entry entry in Entries(state))
                {
                    if (entry.Parsed.Id == id)
                    {
                        return entry;
                    }
                }
            }

            return null;
        }

        private WorkItem ToItem(Entry entry)
        {
            QueueEntryName n = entry.Parsed;
            var item = new WorkItem(Location, n.Id, entry.State, n.Sequence, n.Priority, n.Attempts)
            {
                Path = System.IO.Path.Combine(entry.Folder, entry.Name),
            };
            if (entry.State == WorkItemState.Queued && n.NotBeforeTicks > 0)
            {
                item.NotBefore = new DateTimeOffset(n.NotBeforeTicks, TimeSpan.Zero);
            }

            if (entry.State == WorkItemState.Claimed)
            {
                item.LeaseToken = n.Token;
                item.LeaseExpires = new DateTimeOffset(n.ExpiresTicks, TimeSpan.Zero);
                item.HolderProcessId = n.HolderPid;
            }

            return item;
        }

        /// <summary>Reads the item's content and its last error, never through a link.</summary>
        private void ReadContent(WorkItem item)
        {
            WorkItemContent.Read(item, PlainFile.ReadAllBytes(item.Path, "work item"));
            string error = Sub("errors", QueueEntryName.SequenceText(item.Sequence) + ".json");
            if (PlainFile.Exists(error))
            {
                try
                {
                    item.LastError = WorkItemContent.ReadError(PlainFile.ReadAllBytes(error, "work item error"));
                }
                catch (FileNotFoundException)
                {
                }
            }
        }

        private readonly struct Entry
        {
            public Entry(WorkItemState state, string folder, string name, QueueEntryName parsed)
            {
                State = state;
                Folder = folder;
                Name = name;
                Parsed = parsed;
            }

            public WorkItemState State { get; }

            public string Folder { get; }

            public string Name { get; }

            public QueueEntryName Parsed { get; }
        }
    }
}
