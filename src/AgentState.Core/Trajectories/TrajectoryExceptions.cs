using System;
using System.IO;

namespace AgentState.Trajectories
{
    /// <summary>Start-Trajectory for a session that already has a trajectory.</summary>
    public sealed class TrajectoryExistsException : IOException
    {
        /// <summary>Creates the exception.</summary>
        public TrajectoryExistsException(string sessionId, string path)
            : base($"The session '{sessionId}' already has a trajectory, '{path}'; append to it instead, or choose another session id.")
        {
            SessionId = sessionId;
            Path = path;
        }

        /// <summary>The session.</summary>
        public string SessionId { get; }

        /// <summary>Its trajectory.</summary>
        public string Path { get; }
    }

    /// <summary>No trajectory for the session or path.</summary>
    public sealed class TrajectoryNotFoundException : FileNotFoundException
    {
        /// <summary>Creates the exception.</summary>
        public TrajectoryNotFoundException(string what, string? path)
            : base($"No trajectory: {what}.", path)
        {
        }
    }

    /// <summary>Appending to, or completing, a trajectory that was already completed.</summary>
    public sealed class TrajectoryClosedException : InvalidOperationException
    {
        /// <summary>Creates the exception.</summary>
        public TrajectoryClosedException(string path, TrajectoryStatus status)
            : base($"The trajectory '{path}' is already closed as {status.ToFileText()}; nothing more can be added to it.")
        {
            Path = path;
            Status = status;
        }

        /// <summary>The trajectory.</summary>
        public string Path { get; }

        /// <summary>How it was closed.</summary>
        public TrajectoryStatus Status { get; }
    }

    /// <summary>
    /// A writer that was disposed, or that stopped itself after a write or fdatasync it could not undo: the trajectory
    /// may go on, through a writer opened anew.
    /// </summary>
    public sealed class TrajectoryWriterClosedException : ObjectDisposedException
    {
        /// <summary>Creates the exception.</summary>
        public TrajectoryWriterClosedException(string path, string message)
            : base(nameof(TrajectoryWriter), message)
        {
            Path = path;
        }

        /// <summary>The trajectory.</summary>
        public string Path { get; }
    }

    /// <summary>A trajectory file that cannot be used: no header, or a header that is not ATIF.</summary>
    public sealed class TrajectoryCorruptException : IOException
    {
        /// <summary>Creates the exception.</summary>
        public TrajectoryCorruptException(string path, string reason)
            : base($"The trajectory '{path}' cannot be used: {reason}.")
        {
            Path = path;
        }

        /// <summary>The trajectory.</summary>
        public string Path { get; }
    }

    /// <summary>
    /// A trajectories' root folder that does not exist. Listing it is an error, never an empty answer, so that
    /// a wrong -Root is noticed.
    /// </summary>
    public sealed class TrajectoryRootNotFoundException : DirectoryNotFoundException
    {
        /// <summary>Creates the exception.</summary>
        public TrajectoryRootNotFoundException(string root)
            : base($"Cannot find the trajectories' root '{root}': the folder does not exist.")
        {
            Root = root;
        }

        /// <summary>The root folder.</summary>
        public string Root { get; }
    }
}
