using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using AgentState.IO;
using Microsoft.Win32.SafeHandles;

namespace AgentState.Platform
{
    /// <summary>Opening the module's own files and folders without following links, checked on the descriptor.</summary>
    internal sealed partial class UnixPlatform
    {
        private const int EEXIST = 17;
        private const int ENOSYS = 38;
        private static readonly bool IsArmLinux = !IsMac
            && (RuntimeInformation.ProcessArchitecture == Architecture.Arm64 || RuntimeInformation.ProcessArchitecture == Architecture.Arm);

        // The open(2) flags differ between macOS, Linux on x86 and Linux on ARM.
        private static readonly int ONoFollow = IsMac ? 0x100 : IsArmLinux ? 0x8000 : 0x20000;
        private static readonly int ODirectory = IsMac ? 0x100000 : IsArmLinux ? 0x4000 : 0x10000;
        private static readonly int ONonBlock = IsMac ? 0x4 : 0x800;
        private static readonly int OExclusive = IsMac ? 0x800 : 0x80;
        private static readonly int OCloseOnExec = IsMac ? 0x1000000 : 0x80000;
        private static readonly int ELOOP = IsMac ? 62 : 40;
        private static readonly int AtCurrentFolder = IsMac ? -2 : -100;

        public override FileStream OpenPlainFile(string path, FileMode mode, FileAccess access, FileShare share, string role)
        {
            int flags = (access == FileAccess.Read ? 0 : access == FileAccess.Write ? 1 : OpenReadWrite) | ModeFlags(mode);
            int fd = OpenChecked(path, flags, role);
            try
            {
                return new FileStream(new SafeFileHandle((IntPtr)fd, ownsHandle: true), access, bufferSize: 1);
            }
            catch
            {
                Libc.close(fd);
                throw;
            }
        }

        public override PinnedFolder OpenPlainFolder(string path, string role)
        {
            int fd = Libc.open(path, ODirectory | ONoFollow | OCloseOnExec, 0);
            if (fd < 0)
            {
                int errno = Marshal.GetLastWin32Error();
                string? link = DescribeLink(path);
                if (link != null)
                {
                    throw new UnsafePathException(path, role, link);
                }

                if (errno == ENOTDIR)
                {
                    throw new UnsafePathException(path, role, "a file");
                }

                if (errno == ENOENT)
                {
                    throw new DirectoryNotFoundException($"The folder '{path}' does not exist.");
                }

                throw Error(errno, path);
            }

            return new UnixPinnedFolder(path, fd);
        }

        /// <summary>
        /// Opens with O_NOFOLLOW (a link at the name fails with ELOOP) and O_NONBLOCK (a planted pipe cannot hang the
        /// open), then judges what the descriptor is. No mode here truncates, so nothing is changed before the check.
        /// </summary>
        private int OpenChecked(string path, int flags, string role)
        {
            int fd = Libc.open(path, flags | ONoFollow | ONonBlock | OCloseOnExec, 438 /* 0666, less the umask */);
            if (fd < 0)
            {
                int errno = Marshal.GetLastWin32Error();
                string? link = errno == ELOOP || errno == 31 /* EMLINK, the BSDs' answer */ ? DescribeLink(path) : null;
                if (link != null)
                {
                    throw new UnsafePathException(path, role, link);
                }

                if (errno == 6 /* ENXIO: a pipe with no reader, a socket */)
                {
                    throw new UnsafePathException(path, role, "a pipe or socket");
                }

                if (errno == 21 /* EISDIR */)
                {
                    throw new UnsafePathException(path, role, "a folder");
                }

                if (errno == ENOENT)
                {
                    throw new FileNotFoundException($"Could not find file '{path}'.", path);
                }

                throw Error(errno, path);
            }

            string? found = Judge(fd);
            if (found != null)
            {
                Libc.close(fd);
                throw new UnsafePathException(path, role, found);
            }

            return fd;
        }

        /// <summary>What an open descriptor is, when it is not a plain file with one name; null when it is one.</summary>
        private static string? Judge(int fd)
        {
            if (SystemNative.FStat((IntPtr)fd, out FileStatus status) != 0)
            {
                return "something that cannot be examined (" + new System.ComponentModel.Win32Exception(Marshal.GetLastWin32Error()).Message + ")";
            }

            switch (status.Mode & SIFMT)
            {
                case 0x8000: // S_IFREG
                    break;
                case SIFDIR:
                    return "a folder";
                case 0x1000:
                    return "a named pipe";
                case 0x2000:
                case 0x6000:
                    return "a device";
                case 0xC000:
                    return "a socket";
                default:
                    return "not a plain file";
            }

            // A hard link to a file elsewhere would redirect a write just as a symbolic link would.
            long links = LinkCount(fd);
            return links > 1 ? $"a file with {links.ToString(CultureInfo.InvariantCulture)} hard links" : null;
        }

        /// <summary>The descriptor's hard-link count through statx on Linux (its layout is the same on every architecture); 1 where unknown.</summary>
        private static long LinkCount(int fd)
        {
            if (IsMac)
            {
                return 1; // struct stat differs by architecture there, and .NET's FileStatus has no link count.
            }

            const int AtEmptyPath = 0x1000, StatxNlink = 0x4;
            var buffer = new byte[256];
            try
            {
                if (Plain.statx(fd, string.Empty, AtEmptyPath, StatxNlink, buffer) != 0)
                {
                    return 1; // ENOSYS on an old kernel: the type check above still holds.
                }
            }
            catch (EntryPointNotFoundException)
            {
                return 1; // A libc without statx (glibc before 2.28).
            }

            return BitConverter.ToUInt32(buffer, 16); // stx_nlink follows stx_mask, stx_blksize and stx_attributes.
        }

        private static int ModeFlags(FileMode mode)
        {
            switch (mode)
            {
                case FileMode.CreateNew:
                    return OpenCreate | OExclusive;
                case FileMode.Open:
                    return 0;
                case FileMode.OpenOrCreate:
                    return OpenCreate;
                default:
                    throw new ArgumentOutOfRangeException(nameof(mode), mode, "Only CreateNew, Open and OpenOrCreate open a file without changing it before it is checked.");
            }
        }

        private sealed class UnixPinnedFolder : PinnedFolder
        {
            private int _fd;

            public UnixPinnedFolder(string path, int fd)
                : base(path) => _fd = fd;

            public override bool MoveInto(string source, string name)
            {
                if (Plain.Rename(source, _fd, name))
                {
                    return true;
                }

                int errno = Marshal.GetLastWin32Error();
                if (errno == EEXIST)
                {
                    return false;
                }

                throw Error(errno, source);
            }

            public override void Dispose()
            {
                int fd = System.Threading.Interlocked.Exchange(ref _fd, -1);
                if (fd >= 0)
                {
                    Libc.close(fd);
                }
            }
        }

        private static class Plain
        {
            private const int RenameNoReplace = 1; // Linux RENAME_NOREPLACE
            private const int RenameExclusive = 4; // macOS RENAME_EXCL

            /// <summary>Renames into a folder descriptor without replacing; false with errno set on failure.</summary>
            public static bool Rename(string source, int folder, string name)
            {
                if (IsMac)
                {
                    return renameatx_np(AtCurrentFolder, source, folder, name, RenameExclusive) == 0;
                }

                int result;
                try
                {
                    result = renameat2(AtCurrentFolder, source, folder, name, RenameNoReplace);
                }
                catch (EntryPointNotFoundException)
                {
                    result = -1;
                }

                if (result == 0)
                {
                    return true;
                }

                int errno = result == -1 ? Marshal.GetLastWin32Error() : ENOSYS;
                if (errno != ENOSYS && errno != EINVAL)
                {
                    return false;
                }

                // A file system or libc without renameat2: a new name that cannot replace anything, then drop the old.
                if (linkat(AtCurrentFolder, source, folder, name, 0) != 0)
                {
                    return false;
                }

                return unlink(source) == 0;
            }

            [DllImport("libc", SetLastError = true)]
            public static extern int statx(int dirfd, string path, int flags, int mask, byte[] buffer);

            [DllImport("libc", SetLastError = true)]
            private static extern int renameat2(int oldFolder, string oldPath, int newFolder, string newPath, int flags);

            [DllImport("libc", SetLastError = true)]
            private static extern int renameatx_np(int oldFolder, string oldPath, int newFolder, string newPath, int flags);

            [DllImport("libc", SetLastError = true)]
            private static extern int linkat(int oldFolder, string oldPath, int newFolder, string newPath, int flags);

            [DllImport("libc", SetLastError = true)]
            private static extern int unlink(string path);
        }
    }
}
