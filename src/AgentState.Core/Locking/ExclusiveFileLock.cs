using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using AgentState.IO;
using AgentState.Platform;

namespace AgentState.Locking
{
    /// <summary>
    /// An exclusive lock on <c>&lt;target&gt;.lock</c>, beside the file it guards, that serialises
    /// read-modify-write cycles across threads and processes. The operating system drops it when the
    /// holder dies (flock on Unix, a share-mode handle on Windows), so a crash never leaves a file locked.
    /// The lock file itself stays: deleting it would let two processes lock two different files.
    /// </summary>
    public sealed class ExclusiveFileLock : IDisposable
    {
        /// <summary>The wait used when the caller gives none.</summary>
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

        private IDisposable? _held;

        private ExclusiveFileLock(string lockPath, IDisposable held)
        {
            LockPath = lockPath;
            _held = held;
        }

        /// <summary>The lock file.</summary>
        public string LockPath { get; }

        /// <summary>The lock file guarding <paramref name="targetPath"/> (after following links, so every link to one file shares one lock).</summary>
        public static string LockPathFor(string targetPath) => SystemFileOperations.Instance.ResolveLinks(targetPath) + ".lock";

        /// <summary>
        /// Waits up to <paramref name="timeout"/> for the lock on <paramref name="targetPath"/>, a file the caller named:
        /// links to it are followed, so that every name of one file shares one lock.
        /// </summary>
        /// <exception cref="FileLockedException">Another holder kept it for the whole wait.</exception>
        /// <exception cref="UnsafePathException">The lock file is a link or not a plain file; it was left alone.</exception>
        /// <exception cref="OperationCanceledException">The wait was cancelled.</exception>
        public static ExclusiveFileLock Acquire(string targetPath, TimeSpan timeout, CancellationToken cancellation = default) =>
            AcquireLockFile(targetPath, LockPathFor(targetPath), timeout, cancellation);

        /// <summary>
        /// The lock on a file of one of the module's own stores: <c>&lt;path&gt;.lock</c> beside it, without following a
        /// link at <paramref name="targetPath"/>, so that a planted link cannot place the lock file anywhere else.
        /// </summary>
        /// <exception cref="FileLockedException">Another holder kept it for the whole wait.</exception>
        /// <exception cref="UnsafePathException">The lock file is a link or not a plain file; it was left alone.</exception>
        /// <exception cref="OperationCanceledException">The wait was cancelled.</exception>
        public static ExclusiveFileLock AcquireBeside(string targetPath, TimeSpan timeout, CancellationToken cancellation = default) =>
            AcquireLockFile(targetPath, System.IO.Path.GetFullPath(targetPath) + ".lock", timeout, cancellation);

        private static ExclusiveFileLock AcquireLockFile(string targetPath, string lockPath, TimeSpan timeout, CancellationToken cancellation)
        {
            string owner = string.Format(CultureInfo.InvariantCulture, "{0}\n{1:o}\n", CurrentProcessId, DateTimeOffset.UtcNow);
            var waited = Stopwatch.StartNew();
            var jitter = new Random(unchecked(Environment.TickCount * 31 + CurrentProcessId + Thread.CurrentThread.ManagedThreadId));
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                IDisposable? held = NativePlatform.Current.TryLockExclusive(lockPath, owner);
                if (held != null)
                {
                    return new ExclusiveFileLock(lockPath, held);
                }

                if (waited.Elapsed >= timeout)
                {
                    throw FileLockedException.For(targetPath, lockPath, timeout, NativePlatform.Current.ReadLockOwner(lockPath));
                }

                // Every waiter polls at the same short, jittered pace however long it has waited. A pause that grew with
                // the wait let newcomers, still polling fast, win again and again over the oldest waiters.
                int remaining = (int)Math.Max(1, (timeout - waited.Elapsed).TotalMilliseconds);
                if (cancellation.WaitHandle.WaitOne(Math.Min(jitter.Next(1, 4), remaining)))
                {
                    cancellation.ThrowIfCancellationRequested();
                }
            }
        }

        /// <summary>Releases the lock.</summary>
        public void Dispose() => Interlocked.Exchange(ref _held, null)?.Dispose();

        private static int CurrentProcessId { get; } = GetProcessId();

        private static int GetProcessId()
        {
            using (Process current = Process.GetCurrentProcess())
            {
                return current.Id;
            }
        }
    }
}
