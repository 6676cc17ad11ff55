using System;
using System.IO;

namespace AgentState.Runs
{
    /// <summary>A run file that cannot be read. It is reported, never skipped silently, never changed.</summary>
    public sealed class RunCorruptException : IOException
    {
        /// <summary>Creates the exception.</summary>
        public RunCorruptException(string path, string reason, Exception? inner = null)
            : base($"The run file '{path}' is corrupt: {reason}. It was left as it is.", inner)
        {
            Path = path;
            Reason = reason;
        }

        /// <summary>The file.</summary>
        public string Path { get; }

        /// <summary>What is wrong with it.</summary>
        public string Reason { get; }
    }

    /// <summary>No run folder (or no run.json in it) for the id.</summary>
    public sealed class RunNotFoundException : FileNotFoundException
    {
        /// <summary>Creates the exception.</summary>
        public RunNotFoundException(string runId, string path)
            : base($"There is no run '{runId}' ('{path}' does not exist).", path)
        {
            RunId = runId;
        }

        /// <summary>The run.</summary>
        public string RunId { get; }
    }

    /// <summary>A new run whose id already has a folder.</summary>
    public sealed class RunExistsException : IOException
    {
        /// <summary>Creates the exception.</summary>
        public RunExistsException(string runId, string path)
            : base($"The run '{runId}' already exists ('{path}').")
        {
            RunId = runId;
            Path = path;
        }

        /// <summary>The run.</summary>
        public string RunId { get; }

        /// <summary>Its folder.</summary>
        public string Path { get; }
    }

    /// <summary>A runs root folder that does not exist: reading it is an error, not an empty answer.</summary>
    public sealed class RunStoreNotFoundException : DirectoryNotFoundException
    {
        /// <summary>Creates the exception.</summary>
        public RunStoreNotFoundException(string root)
            : base($"Cannot find the runs folder '{root}': the folder does not exist.")
        {
            Root = root;
        }

        /// <summary>The root.</summary>
        public string Root { get; }
    }

    /// <summary>A change to a run that has finished (completing it twice, say).</summary>
    public sealed class RunFinishedException : InvalidOperationException
    {
        /// <summary>Creates the exception.</summary>
        public RunFinishedException(string runId, string state)
            : base($"The run '{runId}' is {state}; it cannot be completed again.")
        {
            RunId = runId;
        }

        /// <summary>The run.</summary>
        public string RunId { get; }
    }
}
