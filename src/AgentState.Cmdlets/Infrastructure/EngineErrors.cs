using System;
using System.IO;
using System.Management.Automation;
using AgentState.Agents;
using AgentState.History;
using AgentState.IO;
using AgentState.Json;
using AgentState.Locking;
using AgentState.Markdown;
using AgentState.Stores;
using AgentState.Runs;
using AgentState.Trajectories;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>Turns the engine's failures into ErrorRecords with a stable ErrorId and a fitting category.</summary>
    internal static class EngineErrors
    {
        public static ErrorCategory CategoryFor(FailureReason reason)
        {
            switch (reason)
            {
                case FailureReason.AccessDenied:
                case FailureReason.ReadOnlyFileSystem:
                    return ErrorCategory.PermissionDenied;
                case FailureReason.DiskFull:
                    return ErrorCategory.ResourceUnavailable;
                case FailureReason.SharingViolation:
                    return ErrorCategory.ResourceBusy;
                case FailureReason.MissingFolder:
                    return ErrorCategory.ObjectNotFound;
                case FailureReason.InvalidContent:
                    return ErrorCategory.InvalidData;
                case FailureReason.IsDirectory:
                case FailureReason.InvalidPath:
                    return ErrorCategory.InvalidArgument;
                case FailureReason.UnsafePath:
                    return ErrorCategory.SecurityError;
                default:
                    return ErrorCategory.WriteError;
            }
        }

        /// <summary>
        /// The ErrorRecord for any failure the engine reports while changing <paramref name="path"/>, or null
        /// when the exception is not one of the engine's (and so should not be caught).
        /// </summary>
        public static ErrorRecord? For(Exception exception, string path)
        {
            switch (exception)
            {
                case RunNotFoundException run:
                    return new ErrorRecord(run, "RunNotFound", ErrorCategory.ObjectNotFound, run.RunId);
                case RunExistsException runExists:
                    return new ErrorRecord(runExists, "RunExists", ErrorCategory.ResourceExists, runExists.RunId);
                case RunCorruptException runCorrupt:
                    return new ErrorRecord(runCorrupt, "RunCorrupt", ErrorCategory.InvalidData, runCorrupt.Path);
                case RunStoreNotFoundException runStore:
                    return new ErrorRecord(runStore, "RunStoreNotFound", ErrorCategory.ObjectNotFound, runStore.Root);
                case RunFinishedException finished:
                    return WithAction(new ErrorRecord(finished, "RunFinished", ErrorCategory.InvalidOperation, finished.RunId), finished.Message, "Use -Force to complete it again.");
                case ArgumentException invalidRun when invalidRun.ParamName == "runid":
                    return new ErrorRecord(new PSArgumentException(invalidRun.Message, invalidRun), "InvalidRunId", ErrorCategory.InvalidArgument, path);
                case AtomicWriteException write:
                    return AtomicWriteFailed(write, path, write.Reason == FailureReason.MissingFolder ? "Use -Force to create the missing folders." : null);
                case AtifValidationException invalid:
                    return new ErrorRecord(invalid, "InvalidTrajectoryStep", ErrorCategory.InvalidData, path);
                case TrajectoryExistsException exists:
                    return new ErrorRecord(exists, "TrajectoryExists", ErrorCategory.ResourceExists, exists.SessionId);
                case TrajectoryNotFoundException missing:
                    return new ErrorRecord(missing, "TrajectoryNotFound", ErrorCategory.ObjectNotFound, path);
                case TrajectoryClosedException closed:
                    return new ErrorRecord(closed, "TrajectoryClosed", ErrorCategory.InvalidOperation, closed.Path);
                case TrajectoryWriterClosedException writerClosed:
                    return new ErrorRecord(writerClosed, "TrajectoryWriterClosed", ErrorCategory.InvalidOperation, writerClosed.Path);
                case TrajectoryCorruptException corruptTrajectory:
                    return new ErrorRecord(corruptTrajectory, "TrajectoryCorrupt", ErrorCategory.InvalidData, corruptTrajectory.Path);
                case ArgumentException invalidSession when invalidSession.ParamName == "sessionid":
                    return new ErrorRecord(new PSArgumentException(invalidSession.Message, invalidSession), "InvalidSessionId", ErrorCategory.InvalidArgument, path);
                case AgentStateCorruptException corrupt:
                    return new ErrorRecord(corrupt, "AgentStateCorrupt", ErrorCategory.InvalidData, corrupt.Path);
                case AgentStateExistsException exists:
                    return WithAction(new ErrorRecord(exists, "AgentStateExists", ErrorCategory.ResourceExists, exists.AgentId), exists.Message, "Use -Force to overwrite it.");
                case StoreUnavailableException unavailable:
                    return WithAction(new ErrorRecord(unavailable, "StoreUnavailable", ErrorCategory.ConnectionError, path), unavailable.Message,
                        unavailable.OutcomeUnknown ? "Read the record (Get-AgentState) to see whether the change was made before doing it again." : "Check that the PostgreSQL server runs and can be reached, then run the command again.");
                case RecordLockedException recordLocked:
                    return WithAction(new ErrorRecord(recordLocked, "RecordLocked", ErrorCategory.ResourceBusy, recordLocked.AgentId), recordLocked.Message, "Wait for the other client to finish, then run the command again.");
                case StoreSchemaException schema:
                    return new ErrorRecord(schema, "StoreSchema", ErrorCategory.InvalidOperation, path);
                case StoreBackendUnavailableException backend:
                    return new ErrorRecord(backend, "StoreBackendUnavailable", ErrorCategory.NotImplemented, path);
                case AgentStoreNotFoundException store:
                    return new ErrorRecord(store, "AgentStoreNotFound", ErrorCategory.ObjectNotFound, store.Root);
                case TrajectoryRootNotFoundException trajectoryRoot:
                    return new ErrorRecord(trajectoryRoot, "TrajectoryRootNotFound", ErrorCategory.ObjectNotFound, trajectoryRoot.Root);
                case SummariesNotFoundException summaries:
                    return new ErrorRecord(summaries, "SummariesNotFound", ErrorCategory.ObjectNotFound, summaries.StateFolder);
                case AgentStateNotFoundException notFound:
                    return new ErrorRecord(notFound, "AgentStateNotFound", ErrorCategory.ObjectNotFound, notFound.AgentId);
                case AgentTransitionException transition:
                    return WithAction(new ErrorRecord(transition, "InvalidAgentTransition", ErrorCategory.InvalidOperation, transition.AgentId), transition.Message, "Use -Force to change a finished agent.");
                case ArgumentException invalid when invalid.ParamName == "agentid":
                    return new ErrorRecord(new PSArgumentException(invalid.Message, invalid), "InvalidAgentId", ErrorCategory.InvalidArgument, path);
                case InvalidInputException input:
                    return new ErrorRecord(input, "InvalidArgument", ErrorCategory.InvalidArgument, path);
                case FileLockedException locked:
                    return WithAction(new ErrorRecord(locked, "FileLocked", ErrorCategory.ResourceBusy, path),
                        locked.Message, "Wait for the other process to finish, or raise -LockTimeout.");
                case FileNotFoundException missing:
                    return new ErrorRecord(missing, "FileNotFound", ErrorCategory.ObjectNotFound, path);
                case DirectoryNotFoundException missingFolder:
                    return new ErrorRecord(missingFolder, "PathNotFound", ErrorCategory.ObjectNotFound, path);
                case InvalidDataException invalid:
                    return new ErrorRecord(invalid, "InvalidFileContent", ErrorCategory.InvalidData, path);
                case JsonTreeException json:
                    return new ErrorRecord(new InvalidDataException($"Cannot update '{path}': {json.Message}", json), "UnsupportedJsonValue", ErrorCategory.InvalidData, path);
                case MarkdownFieldNotFoundException field:
                    return WithAction(new ErrorRecord(field, "FieldNotFound", ErrorCategory.ObjectNotFound, path),
                        $"Cannot set '{field.Name}' in '{path}': no line holds the field. Nothing was changed.", "Use -AddIfMissing to append the field.");
                case UnsafePathException unsafePath:
                    return WithAction(new ErrorRecord(unsafePath, "UnsafePath", ErrorCategory.SecurityError, unsafePath.Path),
                        unsafePath.Message, $"Find out who put {unsafePath.Found} at '{unsafePath.Path}'; remove it, then run the command again.");
                case UnauthorizedAccessException denied:
                    return new ErrorRecord(denied, "AccessDenied", ErrorCategory.PermissionDenied, path);
                case IOException io:
                    return new ErrorRecord(io, "FileOperationFailed", CategoryFor(OsFailure.Classify(io)), path);
                default:
                    return null;
            }
        }

        private static ErrorRecord WithAction(ErrorRecord record, string message, string action)
        {
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = action };
            return record;
        }

        /// <summary>An ErrorRecord for a failed atomic write, with the path as its target.</summary>
        public static ErrorRecord AtomicWriteFailed(AtomicWriteException exception, string path, string? recommendedAction = null)
        {
            var record = new ErrorRecord(exception, "AtomicWriteFailed", CategoryFor(exception.Reason), path);
            if (recommendedAction != null)
            {
                record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = recommendedAction };
            }

            return record;
        }
    }
}
