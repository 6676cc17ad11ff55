using System;
using System.Management.Automation;
using AgentState.Queue;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>The work queue's failures as ErrorRecords with stable ErrorIds; anything else as <see cref="EngineErrors"/> has it.</summary>
    internal static class WorkQueueErrors
    {
        public static ErrorRecord? For(Exception exception, string target)
        {
            switch (exception)
            {
                case WorkQueueFullException full:
                    return WithAction(new ErrorRecord(full, "WorkQueueFull", ErrorCategory.LimitsExceeded, full.Queue), full.Message, "Wait for consumers to finish items, raise -Capacity, or give -CapacityTimeout to wait for room.");
                case DuplicateWorkItemException duplicate:
                    return new ErrorRecord(duplicate, "WorkItemExists", ErrorCategory.ResourceExists, duplicate.Id);
                case WorkItemNotFoundException missing:
                    return new ErrorRecord(missing, "WorkItemNotFound", ErrorCategory.ObjectNotFound, missing.Id);
                case LeaseLostException lost:
                    return WithAction(new ErrorRecord(lost, "WorkItemLeaseLost", ErrorCategory.InvalidOperation, lost.Id), lost.Message, "Renew the lease well before it expires (Update-AgentWorkItemLease); the item will be, or has been, worked on again.");
                case System.IO.DirectoryNotFoundException notQueue:
                    return new ErrorRecord(notQueue, "WorkQueueNotFound", ErrorCategory.ObjectNotFound, target);
                default:
                    return EngineErrors.For(exception, target);
            }
        }

        private static ErrorRecord WithAction(ErrorRecord record, string message, string action)
        {
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = action };
            return record;
        }
    }
}
