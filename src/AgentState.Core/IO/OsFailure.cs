using System;
using System.IO;
using System.Runtime.InteropServices;

namespace AgentState.IO
{
    /// <summary>
    /// Turns the exceptions .NET raises for failed system calls into a <see cref="FailureReason"/>.
    /// On Unix .NET puts the raw errno in <see cref="Exception.HResult"/> for errors it has no type for
    /// (ENOSPC, EROFS, EISDIR...); on Windows the HResult wraps the Win32 error code.
    /// </summary>
    public static class OsFailure
    {
        private const int Win32Facility = unchecked((int)0x80070000);

        /// <summary>Classifies a failure of a file operation.</summary>
        public static FailureReason Classify(Exception exception)
        {
            switch (exception)
            {
                case null:
                    return FailureReason.Other;
                case UnsafePathException _:
                    return FailureReason.UnsafePath;
                case UnauthorizedAccessException _:
                    return FailureReason.AccessDenied;
                case DirectoryNotFoundException _:
                    return FailureReason.MissingFolder;
                case PathTooLongException _:
                    return FailureReason.InvalidPath;
                case ArgumentException _:
                case NotSupportedException _:
                    return FailureReason.InvalidPath;
            }

            int hr = exception.HResult;
            if ((hr & unchecked((int)0xFFFF0000)) == Win32Facility)
            {
                return ClassifyWin32(hr & 0xFFFF);
            }

            if (hr > 0 && hr < 4096)
            {
                return ClassifyErrno(hr);
            }

            return exception.InnerException != null ? Classify(exception.InnerException) : FailureReason.Other;
        }

        /// <summary>Classifies a Win32 error code.</summary>
        public static FailureReason ClassifyWin32(int code)
        {
            switch (code)
            {
                case 39:  // ERROR_HANDLE_DISK_FULL
                case 112: // ERROR_DISK_FULL
                case 1295: // ERROR_DISK_QUOTA_EXCEEDED
                    return FailureReason.DiskFull;
                case 5:   // ERROR_ACCESS_DENIED
                    return FailureReason.AccessDenied;
                case 19:  // ERROR_WRITE_PROTECT
                    return FailureReason.ReadOnlyFileSystem;
                case 32:  // ERROR_SHARING_VIOLATION
                case 33:  // ERROR_LOCK_VIOLATION
                    return FailureReason.SharingViolation;
                case 3:   // ERROR_PATH_NOT_FOUND
                case 2:   // ERROR_FILE_NOT_FOUND
                    return FailureReason.MissingFolder;
                case 267: // ERROR_DIRECTORY
                    return FailureReason.IsDirectory;
                case 123: // ERROR_INVALID_NAME
                case 206: // ERROR_FILENAME_EXCED_RANGE
                    return FailureReason.InvalidPath;
                default:
                    return FailureReason.Other;
            }
        }

        /// <summary>Classifies a POSIX errno value of the running system.</summary>
        public static FailureReason ClassifyErrno(int errno)
        {
            bool mac = RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
            switch (errno)
            {
                case 28: // ENOSPC
                    return FailureReason.DiskFull;
                case 1:  // EPERM
                case 13: // EACCES
                    return FailureReason.AccessDenied;
                case 30: // EROFS
                    return FailureReason.ReadOnlyFileSystem;
                case 21: // EISDIR
                    return FailureReason.IsDirectory;
                case 2:  // ENOENT
                case 20: // ENOTDIR
                    return FailureReason.MissingFolder;
                case 36 when !mac: // ENAMETOOLONG (Linux)
                case 63 when mac:  // ENAMETOOLONG (macOS)
                    return FailureReason.InvalidPath;
                case 122 when !mac: // EDQUOT (Linux)
                case 69 when mac:   // EDQUOT (macOS)
                    return FailureReason.DiskFull;
                case 11 when !mac: // EWOULDBLOCK (Linux)
                case 35 when mac:  // EWOULDBLOCK (macOS)
                    return FailureReason.SharingViolation;
                default:
                    return FailureReason.Other;
            }
        }

        /// <summary>The words an operator reads for a reason.</summary>
        public static string Describe(FailureReason reason)
        {
            switch (reason)
            {
                case FailureReason.DiskFull: return "the disk is full";
                case FailureReason.AccessDenied: return "access is denied";
                case FailureReason.ReadOnlyFileSystem: return "the file system is read-only";
                case FailureReason.IsDirectory: return "the path is a directory";
                case FailureReason.MissingFolder: return "the folder does not exist";
                case FailureReason.SharingViolation: return "another process is using the file";
                case FailureReason.InvalidContent: return "the content is invalid";
                case FailureReason.InvalidPath: return "the path is invalid";
                case FailureReason.UnsafePath: return "the path is a link where AgentState keeps its own file";
                default: return "the operating system reported an error";
            }
        }
    }
}
