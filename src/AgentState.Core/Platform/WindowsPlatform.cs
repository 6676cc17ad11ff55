using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using AgentState.IO;
using Microsoft.Win32.SafeHandles;

namespace AgentState.Platform
{
    /// <summary>Windows: MoveFileEx for the replacing rename; NTFS needs no folder flush.</summary>
    internal sealed partial class WindowsPlatform : NativePlatform
    {
        private const int MoveFileReplaceExisting = 0x1;
        private const int MoveFileWriteThrough = 0x8;
        private const int ErrorAccessDenied = 5;
        private const int ErrorSharingViolation = 32;
        private const int ErrorLockViolation = 33;
        private const int ReplaceAttempts = 6;
        private const int DeleteAccess = 0x10000;

        public override bool IsWindows => true;

        public override string? ReadLink(string path)
        {
            FileAttributes attributes;
            try
            {
                attributes = File.GetAttributes(path);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }

            if ((attributes & FileAttributes.ReparsePoint) == 0)
            {
                return null;
            }

            // Opening the path follows every link; the handle then names the final file.
            using (SafeFileHandle handle = Kernel32.CreateFileW(path, 0, FileShare.ReadWrite | FileShare.Delete, IntPtr.Zero, FileMode.Open, 0x02000000 /* FILE_FLAG_BACKUP_SEMANTICS */, IntPtr.Zero))
            {
                if (handle.IsInvalid)
                {
                    throw Error(Marshal.GetLastWin32Error(), path);
                }

                var buffer = new StringBuilder(1024);
                int length = Kernel32.GetFinalPathNameByHandleW(handle, buffer, buffer.Capacity, 0);
                if (length > buffer.Capacity)
                {
                    buffer = new StringBuilder(length);
                    length = Kernel32.GetFinalPathNameByHandleW(handle, buffer, buffer.Capacity, 0);
                }

                if (length == 0)
                {
                    throw Error(Marshal.GetLastWin32Error(), path);
                }

                string final = buffer.ToString(0, length);
                if (final.StartsWith(@"\\?\UNC\", StringComparison.Ordinal))
                {
                    return @"\\" + final.Substring(8);
                }

                return final.StartsWith(@"\\?\", StringComparison.Ordinal) ? final.Substring(4) : final;
            }
        }

        public override FileMetadata? GetMetadata(string path)
        {
            try
            {
                FileAttributes attributes = File.GetAttributes(path);
                return new FileMetadata((attributes & FileAttributes.Directory) != 0, null, null, null);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }
        }

        public override void CopyPermissions(FileStream file, FileMetadata source)
        {
            // The temp file is created in the target's folder and so inherits the same ACL as the target would.
        }

        public override void Replace(string source, string destination)
        {
            for (int attempt = 1; ; attempt++)
            {
                if (Kernel32.MoveFileExW(source, destination, MoveFileReplaceExisting | MoveFileWriteThrough))
                {
                    return;
                }

                int error = Marshal.GetLastWin32Error();
                bool transient = error == ErrorSharingViolation || error == ErrorLockViolation || error == ErrorAccessDenied;
                if (!transient || attempt == ReplaceAttempts)
                {
                    throw Error(error == ErrorAccessDenied && HeldByAnotherProcess(destination) ? ErrorSharingViolation : error, destination);
                }

                // A virus scanner, indexer or reader holding the target briefly; back off and try again.
                Thread.Sleep(10 << (attempt - 1));
            }
        }

        /// <summary>
        /// MoveFileEx reports a target that another process holds open without FILE_SHARE_DELETE as ERROR_ACCESS_DENIED, the
        /// code of a missing permission too; asking for DELETE access alone tells them apart: only a holder makes that a
        /// sharing violation. The message then says the file is in use instead of blaming permissions.
        /// </summary>
        private static bool HeldByAnotherProcess(string path)
        {
            using (SafeFileHandle probe = Kernel32.CreateFileW(path, DeleteAccess, FileShare.ReadWrite | FileShare.Delete, IntPtr.Zero, FileMode.Open, OpenReparsePoint, IntPtr.Zero))
            {
                return probe.IsInvalid && Marshal.GetLastWin32Error() == ErrorSharingViolation;
            }
        }

        public override void FlushDirectory(string directory)
        {
            // MOVEFILE_WRITE_THROUGH already made the rename durable; Windows cannot open a folder to flush it.
        }

        /// <summary>
        /// On Windows PowerShell 5.1 (.NET Framework, no Kill(true)) taskkill /T walks the tree by parent process id,
        /// as the runtime itself does.
        /// </summary>
        public override void KillProcessTree(Process process)
        {
            if (TryKillTreeByRuntime(process))
            {
                return;
            }

            try
            {
                var info = new ProcessStartInfo("taskkill.exe", "/T /F /PID " + process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    UseShellExecute = false,
                    CreateNoWindow = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
                using (Process taskkill = Process.Start(info)!)
                {
                    taskkill.StandardOutput.ReadToEnd();
                    taskkill.WaitForExit();
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // No taskkill: the process alone, below.
            }

            KillAlone(process);
        }

        public override bool ProcessExists(int processId)
        {
            if (processId <= 0)
            {
                return false;
            }

            try
            {
                using (Process process = Process.GetProcessById(processId))
                {
                    return !process.HasExited;
                }
            }
            catch (ArgumentException)
            {
                return false;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
            catch (Win32Exception)
            {
                return true; // It exists but belongs to someone we may not query.
            }
        }

        public override IDisposable? TryLockExclusive(string lockPath, string owner)
        {
            FileStream stream;
            try
            {
                // FileShare.Read lets a waiter read who holds the lock; the kernel refuses every second writer.
                // Never through a reparse point: the owner note must not land in a file a planted link names.
                stream = OpenPlainFile(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, "lock file");
            }
            catch (IOException ex) when ((ex.HResult & 0xFFFF) == ErrorSharingViolation || (ex.HResult & 0xFFFF) == ErrorLockViolation)
            {
                return null;
            }

            try
            {
                byte[] text = Encoding.UTF8.GetBytes(owner);
                stream.SetLength(0);
                stream.Write(text, 0, text.Length);
                stream.Flush();
                return stream;
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        public override void FlushData(FileStream file) => file.Flush(flushToDisk: true); // FlushFileBuffers

        public override string? ReadLockOwner(string lockPath)
        {
            try
            {
                using (FileStream stream = OpenPlainFile(lockPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, "lock file"))
                {
                    var buffer = new byte[512];
                    int length = stream.Read(buffer, 0, buffer.Length);
                    return length <= 0 ? null : Encoding.UTF8.GetString(buffer, 0, length);
                }
            }
            catch (IOException)
            {
                return null; // Held by a writer, gone, or not a plain file: its content is never shown.
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }

        private static Exception Error(int error, string path)
        {
            if (error == 2 /* ERROR_FILE_NOT_FOUND */)
            {
                return new FileNotFoundException($"Could not find file '{path}'.", path);
            }

            if (error == 3 /* ERROR_PATH_NOT_FOUND */)
            {
                return new DirectoryNotFoundException($"Could not find a part of the path '{path}'.");
            }

            if (error == ErrorAccessDenied)
            {
                return new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
            }

            return new IOException($"{new Win32Exception(error).Message}: '{path}'", unchecked((int)0x80070000) | error);
        }

        private static partial class Kernel32
        {
            [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            public static extern bool MoveFileExW(string existingFileName, string newFileName, int flags);

            [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            public static extern SafeFileHandle CreateFileW(string fileName, int desiredAccess, FileShare shareMode, IntPtr securityAttributes, FileMode creationDisposition, int flagsAndAttributes, IntPtr templateFile);

            [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            public static extern int GetFinalPathNameByHandleW(SafeFileHandle file, StringBuilder path, int length, int flags);
        }
    }
}
