using System.IO;

namespace AgentState.IO
{
    /// <summary>
    /// The file-system calls the engine makes, one member per step of a durable write. The engine
    /// holds the rules; this seam holds the system calls, so that tests can make any single step fail
    /// the way a full disk or a failing fsync would.
    /// </summary>
    public interface IFileOperations
    {
        /// <summary>Follows symbolic links from <paramref name="path"/> to the file they finally name (which may not exist).</summary>
        string ResolveLinks(string path);

        /// <summary>"a symbolic link to '…'" when <paramref name="path"/> itself is a link (not followed); null otherwise.</summary>
        string? DescribeLink(string path);

        /// <summary>The metadata of an existing path, or null when nothing exists there.</summary>
        FileMetadata? GetMetadata(string path);

        /// <summary>True when <paramref name="path"/> is an existing folder.</summary>
        bool DirectoryExists(string path);

        /// <summary>Creates a folder and its missing parents.</summary>
        void CreateDirectory(string path);

        /// <summary>Creates a new file for writing; fails if anything, a planted link included, exists at the path.</summary>
        FileStream CreateNew(string path);

        /// <summary>Gives an open file the permission bits and, when allowed, the owner of <paramref name="source"/>.</summary>
        void CopyPermissions(FileStream file, FileMetadata source);

        /// <summary>Writes bytes to an open file.</summary>
        void Write(FileStream file, byte[] buffer, int offset, int count);

        /// <summary>Flushes an open file's data to stable storage (fsync, FlushFileBuffers).</summary>
        void FlushToDisk(FileStream file);

        /// <summary>Renames <paramref name="source"/> over <paramref name="destination"/> in one atomic step.</summary>
        void Replace(string source, string destination);

        /// <summary>Flushes a folder's entries so that a rename in it survives a power cut.</summary>
        void FlushDirectory(string directory);

        /// <summary>Deletes a file; no error when it is already gone.</summary>
        void DeleteFile(string path);
    }
}
