using System.IO;
using AgentState.Platform;

namespace AgentState.IO
{
    /// <summary>The real file system of the machine the process runs on.</summary>
    public sealed class SystemFileOperations : IFileOperations
    {
        private const int MaxLinkHops = 40; // Linux's own limit (ELOOP).

        /// <summary>The shared instance.</summary>
        public static SystemFileOperations Instance { get; } = new SystemFileOperations();

        private SystemFileOperations()
        {
        }

        /// <inheritdoc />
        public string ResolveLinks(string path)
        {
            string current = Path.GetFullPath(path);
            for (int hop = 0; hop < MaxLinkHops; hop++)
            {
                string? target = NativePlatform.Current.ReadLink(current);
                if (target == null)
                {
                    return current;
                }

                string folder = Path.GetDirectoryName(current) ?? current;
                current = Path.GetFullPath(Path.Combine(folder, target));
            }

            throw new IOException($"Too many levels of symbolic links: '{path}'");
        }

        /// <inheritdoc />
        public string? DescribeLink(string path) => NativePlatform.Current.DescribeLink(path);

        /// <inheritdoc />
        public FileMetadata? GetMetadata(string path) => NativePlatform.Current.GetMetadata(path);

        /// <inheritdoc />
        public bool DirectoryExists(string path) => Directory.Exists(path);

        /// <inheritdoc />
        public void CreateDirectory(string path) => Directory.CreateDirectory(path);

        /// <inheritdoc />
        public FileStream CreateNew(string path) =>
            // CreateNew is O_CREAT|O_EXCL (CREATE_NEW on Windows): it refuses to follow a link planted at the path.
            // A buffer of one byte means no buffering: every Write reaches the system call, and its error with it.
            new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.None);

        /// <inheritdoc />
        public void CopyPermissions(FileStream file, FileMetadata source) => NativePlatform.Current.CopyPermissions(file, source);

        /// <inheritdoc />
        public void Write(FileStream file, byte[] buffer, int offset, int count) => file.Write(buffer, offset, count);

        /// <inheritdoc />
        public void FlushToDisk(FileStream file) => file.Flush(flushToDisk: true);

        /// <inheritdoc />
        public void Replace(string source, string destination) => NativePlatform.Current.Replace(source, destination);

        /// <inheritdoc />
        public void FlushDirectory(string directory) => NativePlatform.Current.FlushDirectory(directory);

        /// <inheritdoc />
        public void DeleteFile(string path) => File.Delete(path);
    }
}
