using System;
using System.Runtime.InteropServices;

namespace AgentState.Platform
{
    /// <summary>Counting a folder's entries with getdents64 on Linux: the names are skipped over, never decoded.</summary>
    internal sealed partial class UnixPlatform
    {
        public override long? CountEntries(string folder)
        {
            if (IsMac)
            {
                return null; // getdirentries differs there; the managed listing serves.
            }

            int fd = Libc.open(folder, ODirectory | ONoFollow | OCloseOnExec, 0);
            if (fd < 0)
            {
                return null;
            }

            try
            {
                var buffer = new byte[1 << 16];
                long count = 0;
                while (true)
                {
                    long read;
                    try
                    {
                        read = (long)Entries.getdents64(fd, buffer, (IntPtr)buffer.Length);
                    }
                    catch (EntryPointNotFoundException)
                    {
                        return null; // glibc before 2.30 has no getdents64 wrapper.
                    }

                    if (read < 0)
                    {
                        return null;
                    }

                    if (read == 0)
                    {
                        return count;
                    }

                    // struct linux_dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name (NUL-terminated).
                    for (int offset = 0; offset < read;)
                    {
                        int length = BitConverter.ToUInt16(buffer, offset + 16);
                        bool dot = buffer[offset + 19] == (byte)'.'
                            && (buffer[offset + 20] == 0 || (buffer[offset + 20] == (byte)'.' && buffer[offset + 21] == 0));
                        count += dot ? 0 : 1;
                        offset += length;
                    }
                }
            }
            finally
            {
                Libc.close(fd);
            }
        }

        private static class Entries
        {
            [DllImport("libc", SetLastError = true)]
            public static extern IntPtr getdents64(int fd, byte[] buffer, IntPtr count);
        }
    }
}
