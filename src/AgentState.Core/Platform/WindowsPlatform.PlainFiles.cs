using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using AgentState.IO;
using Microsoft.Win32.SafeHandles;

namespace AgentState.Platform
{
    /// <summary>Opening the module's own files and folders without following reparse points, checked on the handle.</summary>
    internal sealed partial class WindowsPlatform
    {
        private const int OpenReparsePoint = 0x00200000;   // FILE_FLAG_OPEN_REPARSE_POINT: the link itself, not its target
        private const int BackupSemantics = 0x02000000;    // FILE_FLAG_BACKUP_SEMANTICS: needed to open a folder
        private const int ReadAttributes = 0x80;           // FILE_READ_ATTRIBUTES: subject to no sharing mode
        private const int GenericRead = unchecked((int)0x80000000);
        private const int GenericWrite = 0x40000000;
        private const int FileTypeDisk = 1;
        private const int ErrorFileExists = 80;
        private const int ErrorAlreadyExists = 183;

        public override FileStream OpenPlainFile(string path, FileMode mode, FileAccess access, FileShare share, string role)
        {
            if (mode != FileMode.CreateNew && mode != FileMode.Open && mode != FileMode.OpenOrCreate)
            {
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "Only CreateNew, Open and OpenOrCreate open a file without changing it before it is checked.");
            }

            int desired = (access & FileAccess.Read) != 0 ? GenericRead : 0;
            desired |= (access & FileAccess.Write) != 0 ? GenericWrite : 0;
            SafeFileHandle handle = Kernel32.CreateFileW(path, desired, share, IntPtr.Zero, mode, 0x80 /* NORMAL */ | OpenReparsePoint, IntPtr.Zero);
            if (handle.IsInvalid)
            {
                int error = Marshal.GetLastWin32Error();
                handle.Dispose();
                if (error == ErrorAccessDenied && Directory.Exists(path))
                {
                    throw new UnsafePathException(path, role, "a folder");
                }

                throw Error(error, path);
            }

            string? found = Judge(handle, path, expectFolder: false);
            if (found != null)
            {
                handle.Dispose();
                throw new UnsafePathException(path, role, found);
            }

            return new FileStream(handle, access, bufferSize: 1);
        }

        public override PinnedFolder OpenPlainFolder(string path, string role)
        {
            // No FILE_SHARE_DELETE: while the handle is open nobody can rename or delete the folder to swap in a link.
            SafeFileHandle handle = Kernel32.CreateFileW(path, ReadAttributes, FileShare.ReadWrite, IntPtr.Zero, FileMode.Open, BackupSemantics | OpenReparsePoint, IntPtr.Zero);
            if (handle.IsInvalid)
            {
                int error = Marshal.GetLastWin32Error();
                handle.Dispose();
                if (error == 2 || error == 3)
                {
                    throw new DirectoryNotFoundException($"The folder '{path}' does not exist.");
                }

                throw Error(error, path);
            }

            string? found = Judge(handle, path, expectFolder: true);
            if (found != null)
            {
                handle.Dispose();
                throw new UnsafePathException(path, role, found);
            }

            return new WindowsPinnedFolder(path, handle);
        }

        private string? Judge(SafeFileHandle handle, string path, bool expectFolder)
        {
            if (!Kernel32.GetFileInformationByHandle(handle, out FileInformation info))
            {
                return "something that cannot be examined (" + new System.ComponentModel.Win32Exception(Marshal.GetLastWin32Error()).Message + ")";
            }

            var attributes = (FileAttributes)info.Attributes;
            if ((attributes & FileAttributes.ReparsePoint) != 0)
            {
                return "a symbolic link or junction" + (ReadLink(path) is string target ? $" to '{target}'" : string.Empty);
            }

            bool folder = (attributes & FileAttributes.Directory) != 0;
            if (folder != expectFolder)
            {
                return folder ? "a folder" : "a file";
            }

            if (!folder && Kernel32.GetFileType(handle) != FileTypeDisk)
            {
                return "a device or pipe";
            }

            // A hard link to a file elsewhere would redirect a write just as a symbolic link would.
            return !folder && info.NumberOfLinks > 1 ? $"a file with {info.NumberOfLinks.ToString(CultureInfo.InvariantCulture)} hard links" : null;
        }

        private sealed class WindowsPinnedFolder : PinnedFolder
        {
            private readonly SafeFileHandle _handle;

            public WindowsPinnedFolder(string path, SafeFileHandle handle)
                : base(path) => _handle = handle;

            public override bool MoveInto(string source, string name)
            {
                // The held handle keeps this name bound to the checked folder, so a move by path lands in it.
                if (Kernel32.MoveFileExW(source, System.IO.Path.Combine(Path, name), MoveFileWriteThrough))
                {
                    return true;
                }

                int error = Marshal.GetLastWin32Error();
                if (error == ErrorFileExists || error == ErrorAlreadyExists)
                {
                    return false;
                }

                throw Error(error, source);
            }

            public override void Dispose() => _handle.Dispose();
        }

        // BY_HANDLE_FILE_INFORMATION: its FILETIMEs are pairs of DWORDs, so nothing is aligned to 8.
        [StructLayout(LayoutKind.Sequential, Pack = 4)]
        private struct FileInformation
        {
            public int Attributes;
            public long CreationTime;
            public long LastAccessTime;
            public long LastWriteTime;
            public int VolumeSerialNumber;
            public int FileSizeHigh;
            public int FileSizeLow;
            public int NumberOfLinks;
            public int FileIndexHigh;
            public int FileIndexLow;
        }

        private static partial class Kernel32
        {
            [DllImport("kernel32.dll", SetLastError = true)]
            public static extern bool GetFileInformationByHandle(SafeFileHandle file, out FileInformation information);

            [DllImport("kernel32.dll", SetLastError = true)]
            public static extern int GetFileType(SafeFileHandle file);
        }
    }
}
