using System;
using System.Collections.Generic;
using System.Threading;

namespace AgentState.Queue
{
    /// <summary>
    /// A work queue many producer and consumer processes share: the one seam behind which a folder (here) or a
    /// database backend keeps the same rules. Ids are unique; FIFO within a priority, higher priority first; a claim is
    /// a lease that returns when it expires or its holder dies; past its maximum of attempts an item is a dead letter.
    /// </summary>
    public interface IWorkQueue
    {
        /// <summary>Where the queue is (a folder, a connection's name).</summary>
        string Location { get; }

        /// <summary>
        /// Queues an item. With a <paramref name="capacity"/>, waits up to <paramref name="capacityWait"/> while that many
        /// items are queued or claimed, then fails with <see cref="WorkQueueFullException"/>.
        /// </summary>
        WorkItem Enqueue(WorkItemDraft draft, int? capacity = null, TimeSpan capacityWait = default, CancellationToken cancellation = default);

        /// <summary>
        /// Claims the next due item for <paramref name="holder"/> for <paramref name="lease"/>, waiting up to
        /// <paramref name="wait"/> for one; null when none came.
        /// </summary>
        WorkItem? Claim(LeaseHolder holder, TimeSpan lease, TimeSpan wait = default, CancellationToken cancellation = default);

        /// <summary>
        /// Claims up to <paramref name="count"/> due items at once, in claim order, each under a lease of its own (its own
        /// token, renewed and finished one by one), waiting up to <paramref name="wait"/> for the first; empty when none
        /// came. Fewer than <paramref name="count"/> when fewer were due: it never waits for more once it has one. For a
        /// consumer that works through items quickly, one trip to the queue for many claims.
        /// </summary>
        IReadOnlyList<WorkItem> ClaimMany(LeaseHolder holder, TimeSpan lease, int count, TimeSpan wait = default, CancellationToken cancellation = default);

        /// <summary>Extends a claim's lease to <paramref name="lease"/> from now.</summary>
        WorkItem Renew(string id, string leaseToken, TimeSpan lease);

        /// <summary>Marks a claimed item done.</summary>
        WorkItem Complete(string id, string leaseToken);

        /// <summary>
        /// Records <paramref name="error"/> for a claimed item and returns it to the queue, due after
        /// <paramref name="retryAfter"/>; past its maximum of attempts it becomes a dead letter instead.
        /// </summary>
        WorkItem Fail(string id, string leaseToken, string error, TimeSpan retryAfter);

        /// <summary>The item's place in claim order (1 is next), or where it is when it is not queued.</summary>
        WorkItemPosition Position(string id);

        /// <summary>How many items are in each state.</summary>
        IReadOnlyDictionary<WorkItemState, int> Count();

        /// <summary>The items in a state (all when null), in FIFO order within each state; content read when asked.</summary>
        IEnumerable<WorkItem> List(WorkItemState? state = null, bool readContent = true);

        /// <summary>One item, with its content.</summary>
        WorkItem Get(string id);
    }
}
