using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using AgentState.IO;

namespace AgentState.Platform
{
    /// <summary>Linux and macOS: libc for the calls .NET Standard does not expose.</summary>
    internal sealed partial class UnixPlatform : NativePlatform
    {
        private const int EINTR = 4;
        private const int ENOENT = 2;
        private const int ENOTDIR = 20;
        private const int EINVAL = 22;
        private const int EPERM = 1;
        private const int SIFMT = 0xF000;
        private const int SIFDIR = 0x4000;
        private const int MacFullFsync = 51; // F_FULLFSYNC: on macOS fsync alone does not reach the platter.

        private static readonly bool IsMac = RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
        private static readonly int OpenReadOnlyCloseOnExec = IsMac ? 0x1000000 : 0x80000;
        private static readonly Lazy<bool> IsRoot = new Lazy<bool>(() => Libc.geteuid() == 0);

        public override bool IsWindows => false;

        public override string? ReadLink(string path)
        {
            var buffer = new byte[4096];
            while (true)
            {
                long length = (long)Libc.readlink(path, buffer, (IntPtr)buffer.Length);
                if (length < 0)
                {
                    int errno = Marshal.GetLastWin32Error();
                    if (errno == EINVAL || errno == ENOENT || errno == ENOTDIR)
                    {
                        return null;
                    }

                    throw Error(errno, path);
                }

                if (length < buffer.Length)
                {
                    return Encoding.UTF8.GetString(buffer, 0, (int)length);
                }

                buffer = new byte[buffer.Length * 2];
            }
        }

        public override FileMetadata? GetMetadata(string path)
        {
            if (SystemNative.Stat(path, out FileStatus status) != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                if (errno == ENOENT || errno == ENOTDIR)
                {
                    return null;
                }

                throw Error(errno, path);
            }

            return new FileMetadata((status.Mode & SIFMT) == SIFDIR, status.Mode & 0xFFF, status.Uid, status.Gid);
        }

        public override void CopyPermissions(FileStream file, FileMetadata source)
        {
            if (source.UnixMode == null)
            {
                return;
            }

            int fd = (int)file.SafeFileHandle.DangerousGetHandle();

            // Only root may give a file away; an ordinary user's file keeps its own owner, as with any new file.
            // chown comes first because it clears the set-id bits that chmod then restores.
            if (IsRoot.Value && source.OwnerId != null && source.GroupId != null)
            {
                if (Libc.fchown(fd, source.OwnerId.Value, source.GroupId.Value) != 0)
                {
                    throw Error(Marshal.GetLastWin32Error(), file.Name);
                }
            }

            if (Libc.fchmod(fd, source.UnixMode.Value) != 0)
            {
                throw Error(Marshal.GetLastWin32Error(), file.Name);
            }
        }

        public override void Replace(string source, string destination)
        {
            if (Libc.rename(source, destination) != 0)
            {
                throw Error(Marshal.GetLastWin32Error(), destination);
            }
        }

        public override void FlushDirectory(string directory)
        {
            int fd = Libc.open(directory, OpenReadOnlyCloseOnExec, 0);
            if (fd < 0)
            {
                throw Error(Marshal.GetLastWin32Error(), directory);
            }

            try
            {
                int result;
                do
                {
                    result = IsMac ? Libc.fcntl(fd, MacFullFsync, 0) : Libc.fsync(fd);
                    if (result != 0 && IsMac && Marshal.GetLastWin32Error() != EINTR)
                    {
                        result = Libc.fsync(fd); // F_FULLFSYNC is refused by some file systems.
                    }
                }
                while (result != 0 && Marshal.GetLastWin32Error() == EINTR);

                if (result != 0)
                {
                    throw Error(Marshal.GetLastWin32Error(), directory);
                }
            }
            finally
            {
                Libc.close(fd);
            }
        }

        public override bool ProcessExists(int processId)
        {
            if (processId <= 0)
            {
                return false;
            }

            return Libc.kill(processId, 0) == 0 || Marshal.GetLastWin32Error() == EPERM;
        }

        public override IDisposable? TryLockExclusive(string lockPath, string owner)
        {
            const int LockExclusive = 2, LockNonBlocking = 4;

            // Never through a link, never into anything but a plain file: a lock file planted as a link to
            // /etc/shadow must not have the owner note written into it by a process running as root.
            int fd = OpenChecked(lockPath, OpenReadWrite | OpenCreate, "lock file");
            int result;
            do
            {
                result = Libc.flock(fd, LockExclusive | LockNonBlocking);
            }
            while (result != 0 && Marshal.GetLastWin32Error() == EINTR);

            if (result != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                Libc.close(fd);
                if (errno == (IsMac ? 35 : 11))
                {
                    return null; // EWOULDBLOCK: someone else holds it.
                }

                throw Error(errno, lockPath);
            }

            byte[] text = Encoding.UTF8.GetBytes(owner);
            if (Libc.ftruncate(fd, 0) != 0 || (long)Libc.pwrite(fd, text, (IntPtr)text.Length, 0) != text.Length)
            {
                int errno = Marshal.GetLastWin32Error();
                Libc.close(fd);
                throw Error(errno, lockPath);
            }

            return new HeldLock(fd);
        }

        public override void FlushData(FileStream file)
        {
            if (IsMac)
            {
                file.Flush(flushToDisk: true); // F_FULLFSYNC through .NET; macOS has no fdatasync worth the name.
                return;
            }

            file.Flush(flushToDisk: false);
            int fd = (int)file.SafeFileHandle.DangerousGetHandle();
            int result;
            do
            {
                result = Libc.fdatasync(fd);
            }
            while (result != 0 && Marshal.GetLastWin32Error() == EINTR);

            if (result != 0)
            {
                throw Error(Marshal.GetLastWin32Error(), file.Name);
            }
        }

        public override string? ReadLockOwner(string lockPath)
        {
            int fd = Libc.open(lockPath, OpenReadOnlyCloseOnExec | ONoFollow | ONonBlock, 0);
            if (fd < 0)
            {
                return null;
            }

            try
            {
                if (Judge(fd) != null)
                {
                    return null; // Its content would be some other file's: never shown in a message.
                }

                var buffer = new byte[512];
                long length = (long)Libc.read(fd, buffer, (IntPtr)buffer.Length);
                return length <= 0 ? null : Encoding.UTF8.GetString(buffer, 0, (int)length);
            }
            finally
            {
                Libc.close(fd);
            }
        }

        private const int OpenReadWrite = 2;

        private static int OpenCreate => IsMac ? 0x200 : 0x40;

        /// <summary>Closing the descriptor releases the flock; so does the death of the process.</summary>
        private sealed class HeldLock : IDisposable
        {
            private int _fd;

            public HeldLock(int fd) => _fd = fd;

            // A lock its owner forgot (a writer never completed nor disposed in a PowerShell session) is released
            // when it is collected, rather than held until the process exits.
            ~HeldLock() => Release();

            public void Dispose()
            {
                Release();
                GC.SuppressFinalize(this);
            }

            private void Release()
            {
                int fd = System.Threading.Interlocked.Exchange(ref _fd, -1);
                if (fd >= 0)
                {
                    Libc.close(fd);
                }
            }
        }

        private static Exception Error(int errno, string path)
        {
            if (errno == 13 || errno == EPERM)
            {
                // .NET's own convention, so that callers see the type FileStream would raise.
                return new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
            }

            return new IOException($"{new Win32Exception(errno).Message}: '{path}'", errno);
        }

        [StructLayout(LayoutKind.Explicit, Size = 256)]
        private struct FileStatus
        {
            // The leading fields of .NET's own FileStatus (src/native/libs/System.Native/pal_io.h),
            // stable since .NET Core 2; the rest of the struct is left as room.
            [FieldOffset(0)] public int Flags;
            [FieldOffset(4)] public int Mode;
            [FieldOffset(8)] public int Uid;
            [FieldOffset(12)] public int Gid;
        }

        private static class SystemNative
        {
            [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
            public static extern int Stat(string path, out FileStatus status);

            [DllImport("libSystem.Native", EntryPoint = "SystemNative_FStat", SetLastError = true)]
            public static extern int FStat(IntPtr fd, out FileStatus status);
        }

        private static class Libc
        {
            [DllImport("libc", SetLastError = true)]
            public static extern IntPtr readlink(string path, byte[] buffer, IntPtr size);

            [DllImport("libc", SetLastError = true)]
            public static extern int fchmod(int fd, int mode);

            [DllImport("libc", SetLastError = true)]
            public static extern int fchown(int fd, int owner, int group);

            [DllImport("libc", SetLastError = true)]
            public static extern int rename(string oldPath, string newPath);

            [DllImport("libc", SetLastError = true)]
            public static extern int open(string path, int flags, int mode);

            [DllImport("libc", SetLastError = true)]
            public static extern int fsync(int fd);

            [DllImport("libc", SetLastError = true)]
            public static extern int fdatasync(int fd);

            [DllImport("libc", SetLastError = true)]
            public static extern int fcntl(int fd, int command, int argument);

            [DllImport("libc", SetLastError = true)]
            public static extern int close(int fd);

            [DllImport("libc", SetLastError = true)]
            public static extern int kill(int pid, int signal);

            [DllImport("libc")]
            public static extern int geteuid();

            [DllImport("libc", SetLastError = true)]
            public static extern int flock(int fd, int operation);

            [DllImport("libc", SetLastError = true)]
            public static extern int ftruncate(int fd, long length);

            [DllImport("libc", SetLastError = true)]
            public static extern IntPtr pwrite(int fd, byte[] buffer, IntPtr count, long offset);

            [DllImport("libc", SetLastError = true)]
            public static extern IntPtr read(int fd, byte[] buffer, IntPtr count);
        }
    }
}
