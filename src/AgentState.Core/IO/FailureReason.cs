namespace AgentState.IO
{
    /// <summary>Why the operating system refused a file operation, in words an operator can act on.</summary>
    public enum FailureReason
    {
        /// <summary>Anything not listed below; the message carries the system's own words.</summary>
        Other,
        /// <summary>No space left on the device, or a quota is exhausted.</summary>
        DiskFull,
        /// <summary>Permission denied.</summary>
        AccessDenied,
        /// <summary>The file system is mounted read-only or the medium is write-protected.</summary>
        ReadOnlyFileSystem,
        /// <summary>The path names a folder where a file is needed.</summary>
        IsDirectory,
        /// <summary>A folder on the path does not exist.</summary>
        MissingFolder,
        /// <summary>Another process holds the file open in a way that forbids the operation.</summary>
        SharingViolation,
        /// <summary>The content failed validation or could not be encoded.</summary>
        InvalidContent,
        /// <summary>The path or a name on it is too long or malformed.</summary>
        InvalidPath,

        /// <summary>A link (or something else than a plain file) is where the module keeps a file of its own.</summary>
        UnsafePath,
    }
}
