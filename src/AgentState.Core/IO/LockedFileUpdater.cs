using System;
using System.IO;
using System.Threading;
using AgentState.Locking;

namespace AgentState.IO
{
    /// <summary>
    /// Read-modify-write of one file under its exclusive lock: take the lock, read, transform, replace
    /// atomically, release. Concurrent updaters in any number of processes lose nothing.
    /// </summary>
    public sealed class LockedFileUpdater
    {
        private readonly AtomicFileWriter _writer;

        /// <summary>An updater over the real file system.</summary>
        public LockedFileUpdater()
            : this(new AtomicFileWriter())
        {
        }

        /// <summary>An updater that writes through <paramref name="writer"/>.</summary>
        public LockedFileUpdater(AtomicFileWriter writer)
        {
            _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        }

        /// <summary>
        /// Replaces <paramref name="path"/> with what <paramref name="transform"/> makes of its current bytes
        /// (null when the file does not exist). A null result means "leave the file as it is".
        /// </summary>
        /// <param name="path">The file.</param>
        /// <param name="transform">Makes the new bytes of the current ones.</param>
        /// <param name="options">Durability and folder creation.</param>
        /// <param name="lockTimeout">How long to wait for the lock.</param>
        /// <param name="cancellation">Stops a wait for the lock.</param>
        /// <param name="whenMissing">
        /// When given, a missing file is this error, raised before the lock is taken: a lock file must not appear
        /// beside a file that is not there (nor a folder be needed for it).
        /// </param>
        /// <exception cref="FileLockedException">The lock was not had within <paramref name="lockTimeout"/>.</exception>
        /// <exception cref="AtomicWriteException">The replace failed; the file is unchanged.</exception>
        public LockedUpdateResult Update(string path, Func<byte[]?, byte[]?> transform, AtomicWriteOptions? options = null, TimeSpan? lockTimeout = null,
            CancellationToken cancellation = default, Func<Exception>? whenMissing = null)
        {
            if (transform == null)
            {
                throw new ArgumentNullException(nameof(transform));
            }

            options = options ?? AtomicWriteOptions.Default;
            string full = Path.GetFullPath(path);
            if (whenMissing != null && !File.Exists(full))
            {
                throw whenMissing();
            }
            string? folder = Path.GetDirectoryName(full);
            if (folder != null && options.CreateDirectories && !Directory.Exists(folder))
            {
                Directory.CreateDirectory(folder);
            }

            using (ExclusiveFileLock.Acquire(full, lockTimeout ?? ExclusiveFileLock.DefaultTimeout, cancellation))
            {
                byte[]? current = ReadIfExists(full);
                byte[]? next = transform(current);
                if (next == null)
                {
                    return new LockedUpdateResult(full, changed: false, current?.Length ?? 0);
                }

                _writer.Write(full, next, options);
                return new LockedUpdateResult(full, changed: true, next.Length);
            }
        }

        private static byte[]? ReadIfExists(string path)
        {
            try
            {
                return File.ReadAllBytes(path);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
        }
    }
}
