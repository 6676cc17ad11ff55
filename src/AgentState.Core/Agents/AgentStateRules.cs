using System;
using System.Collections.Generic;
using System.Globalization;
using AgentState.IO;
using AgentState.Json;

namespace AgentState.Agents
{
    /// <summary>
    /// The validation and transitions every agent state store applies, whatever holds the records: what a new record
    /// starts with, which changes are refused, and which stamps a change sets. One copy, so that the backends agree.
    /// </summary>
    internal static class AgentStateRules
    {
        /// <summary>Checks what can be checked before anything is read or locked.</summary>
        /// <exception cref="ArgumentException">The id breaks the file-name rule (every backend keeps it, so records move between them).</exception>
        /// <exception cref="InvalidInputException">The pid is not a process id.</exception>
        public static void CheckDraft(AgentStateDraft draft)
        {
            FileNameRules.Validate(draft.AgentId, "agent id");
            CheckProcessId(draft.ProcessId);
        }

        /// <summary>Checks a change before anything is read or locked.</summary>
        /// <exception cref="InvalidInputException">Progress is out of 0-100, or the pid is not a process id.</exception>
        public static void CheckChange(AgentStateChange change)
        {
            if (change.Progress is double progress && (progress < 0 || progress > 100 || double.IsNaN(progress)))
            {
                throw new InvalidInputException($"Progress must be from 0 to 100 (it is {progress.ToString(CultureInfo.InvariantCulture)}).", "progress");
            }

            CheckProcessId(change.ProcessId);
        }

        /// <summary>The fields of a new record, in the seed's order, stamped <paramref name="now"/>.</summary>
        public static OrderedJsonObject NewFields(AgentStateDraft draft, DateTimeOffset now)
        {
            string stamp = AgentStateRecord.FormatTime(now);
            var fields = new OrderedJsonObject
            {
                [AgentStateFields.AgentId] = draft.AgentId,
                [AgentStateFields.AgentName] = draft.Name,
                [AgentStateFields.AgentType] = draft.Type,
                [AgentStateFields.ParentAgentId] = draft.ParentId,
                [AgentStateFields.Model] = draft.Model,
                [AgentStateFields.Prompt] = draft.Prompt,
                [AgentStateFields.LoadPercentage] = draft.LoadPercentage,
                [AgentStateFields.EstimatedDuration] = draft.EstimatedDuration,
                [AgentStateFields.Metadata] = draft.Metadata ?? new OrderedJsonObject(),
                [AgentStateFields.Status] = draft.Status.ToFileText(),
                [AgentStateFields.ProcessId] = null,
                [AgentStateFields.StartedAt] = draft.Status == AgentStatus.Running ? stamp : null,
                [AgentStateFields.Progress] = 0L,
                [AgentStateFields.CreatedAt] = stamp,
                [AgentStateFields.LastUpdated] = stamp,
            };
            if (draft.ProcessId is int pid)
            {
                RecordProcess(fields, pid);
            }

            StampFinish(fields, draft.Status, stamp, null);
            return fields;
        }

        /// <summary>Applies a checked change to the current record's fields, stamped <paramref name="now"/>.</summary>
        /// <exception cref="AgentTransitionException">A finished agent would change status without Force.</exception>
        public static void Apply(AgentStateRecord record, AgentStateChange change, DateTimeOffset now)
        {
            OrderedJsonObject fields = record.Fields;
            string stamp = AgentStateRecord.FormatTime(now);
            if (change.Status is AgentStatus next)
            {
                AgentStatus? current = record.Status;
                bool leavesFinished = current is AgentStatus was && was.IsFinished() && was != next;
                if (leavesFinished && !change.Force)
                {
                    throw new AgentTransitionException(record.AgentId, record.StatusText ?? "unknown", next);
                }

                fields[AgentStateFields.Status] = next.ToFileText();
                if (next == AgentStatus.Running && record.StartedAt == null)
                {
                    fields[AgentStateFields.StartedAt] = stamp;
                }

                if (current != next)
                {
                    StampFinish(fields, next, stamp, change.ErrorMessage);
                }
            }

            if (change.Progress is double progress)
            {
                fields[AgentStateFields.Progress] = progress == Math.Floor(progress) ? (object)(long)progress : progress;
            }

            if (change.Message != null)
            {
                fields[AgentStateFields.ProgressMessage] = change.Message;
            }

            if (change.ErrorMessage != null)
            {
                fields[AgentStateFields.Error] = change.ErrorMessage;
            }

            if (change.ProcessId is int pid && pid != record.ProcessId)
            {
                // The same pid again (a record piped back in) keeps the start time recorded with it: probing now could
                // take a later process that reused the id for the agent's.
                RecordProcess(fields, pid);
            }

            if (change.Metadata != null)
            {
                OrderedJsonObject metadata = record.Metadata ?? new OrderedJsonObject();
                foreach (KeyValuePair<string, object?> entry in change.Metadata)
                {
                    metadata[entry.Key] = entry.Value;
                }

                fields[AgentStateFields.Metadata] = metadata;
            }

            fields[AgentStateFields.LastUpdated] = stamp;
        }

        private static void StampFinish(OrderedJsonObject fields, AgentStatus status, string stamp, string? error)
        {
            switch (status)
            {
                case AgentStatus.Completed:
                    fields[AgentStateFields.CompletedAt] = stamp;
                    break;
                case AgentStatus.Failed:
                    fields[AgentStateFields.FailedAt] = stamp;
                    if (error != null)
                    {
                        fields[AgentStateFields.Error] = error;
                    }

                    break;
                case AgentStatus.Cancelled:
                    fields[AgentStateFields.CancelledAt] = stamp;
                    break;
            }
        }

        private static void CheckProcessId(int? pid)
        {
            if (pid is int given && given <= 0)
            {
                // 0 is what an empty pid cell becomes; recording it would tie the agent to no process, or to the recorder.
                throw new InvalidInputException($"pid must be a process id of 1 or more (it is {given}); leave it out when the agent has no process.", "pid");
            }
        }

        private static void RecordProcess(OrderedJsonObject fields, int pid)
        {
            fields[AgentStateFields.ProcessId] = (long)pid;
            DateTimeOffset? started = ProcessIdentity.StartTimeOf(pid);
            if (started != null)
            {
                // The process runs here: remember which one, so that a later process with a reused pid is not taken for it.
                fields[AgentStateFields.ProcessStartTime] = AgentStateRecord.FormatTime(started.Value);
                fields[AgentStateFields.Host] = ProcessIdentity.HostName;
            }
        }
    }
}
