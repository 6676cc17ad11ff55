using System;
using AgentState.IO;
using AgentState.Text;

namespace AgentState.Queue
{
    /// <summary>
    /// What every work queue backend refuses before it touches anything: the same checks and the same messages, so that
    /// a folder queue and a database queue answer bad input alike.
    /// </summary>
    internal static class WorkItemRules
    {
        /// <summary>Checks a draft: its id, priority, maximum of attempts and payload.</summary>
        public static void CheckDraft(WorkItemDraft draft)
        {
            if (draft == null)
            {
                throw new ArgumentNullException(nameof(draft));
            }

            if (FileNameRules.FindViolation(draft.Id) is string violation)
            {
                throw new InvalidInputException($"The work item id '{draft.Id}' is not allowed: {violation}.", nameof(draft.Id));
            }

            if (draft.Priority < WorkItemDraft.MinPriority || draft.Priority > WorkItemDraft.MaxPriority)
            {
                throw new InvalidInputException($"The priority {draft.Priority} of '{draft.Id}' is outside {WorkItemDraft.MinPriority} to {WorkItemDraft.MaxPriority}.", nameof(draft.Priority));
            }

            if (draft.MaxAttempts < 1)
            {
                throw new InvalidInputException($"The maximum of attempts of '{draft.Id}' must be at least 1, not {draft.MaxAttempts}.", nameof(draft.MaxAttempts));
            }

            if (draft.PayloadJson == null || JsonText.FindError(draft.PayloadJson) is string)
            {
                throw new InvalidInputException($"The payload of '{draft.Id}' is not one JSON value: {(draft.PayloadJson == null ? "it is missing" : JsonText.FindError(draft.PayloadJson))}.", nameof(draft.PayloadJson));
            }
        }

        /// <summary>Checks an id given to look an item up.</summary>
        public static void CheckId(string id)
        {
            if (FileNameRules.FindViolation(id) is string violation)
            {
                throw new InvalidInputException($"The work item id '{id}' is not allowed: {violation}.", nameof(id));
            }
        }

        /// <summary>The most items one <see cref="IWorkQueue.ClaimMany"/> takes.</summary>
        public const int MaxClaimCount = 1000;

        /// <summary>Checks how many items a claim asks for.</summary>
        public static void CheckClaimCount(int count)
        {
            if (count < 1 || count > MaxClaimCount)
            {
                throw new InvalidInputException($"A claim takes 1 to {MaxClaimCount} items at once, not {count}.", nameof(count));
            }
        }

        /// <summary>Checks a capacity, when one is given.</summary>
        public static void CheckCapacity(int? capacity)
        {
            if (capacity is int limit && limit < 1)
            {
                throw new InvalidInputException($"The capacity must be at least 1, not {limit}.", nameof(capacity));
            }
        }

        /// <summary>Checks a lease's length.</summary>
        public static void CheckLease(TimeSpan lease)
        {
            if (lease <= TimeSpan.Zero)
            {
                throw new InvalidInputException($"A lease must be positive, not {lease.TotalSeconds} s.", nameof(lease));
            }
        }

        /// <summary>Checks a retry delay.</summary>
        public static void CheckRetryAfter(TimeSpan retryAfter)
        {
            if (retryAfter < TimeSpan.Zero)
            {
                throw new InvalidInputException($"The retry delay cannot be negative ({retryAfter.TotalSeconds} s).", nameof(retryAfter));
            }
        }

        /// <summary>The error recorded when a lease ran out.</summary>
        public static string LeaseExpired(int holderPid, DateTimeOffset expired) =>
            string.Format(System.Globalization.CultureInfo.InvariantCulture, "the lease of process {0} expired at {1}", holderPid, IsoTimestamp.Format(expired));

        /// <summary>The error recorded when a claim's holder died on this host.</summary>
        public static string HolderDied(int holderPid) =>
            string.Format(System.Globalization.CultureInfo.InvariantCulture, "its holder, process {0}, died", holderPid);

        /// <summary>The error recorded by a fail that gave none.</summary>
        public static string FailureText(string? error) => string.IsNullOrEmpty(error) ? "failed" : error!;
    }
}
