using System.IO;

namespace AgentState.IO
{
    /// <summary>
    /// The system calls of an append-only stream (a trajectory): write a line, fdatasync it, cut a failed write back.
    /// The writer holds the rules; this seam holds the calls, so that tests can make a write or an fdatasync fail the
    /// way a full disk or a failing device would.
    /// </summary>
    public interface IAppendOperations
    {
        /// <summary>Writes bytes to the open stream at its position, in one call.</summary>
        void Write(FileStream stream, byte[] buffer, int offset, int count);

        /// <summary>Flushes the stream's data to stable storage (fdatasync; FlushFileBuffers on Windows; F_FULLFSYNC on macOS).</summary>
        void FlushData(FileStream stream);

        /// <summary>Cuts the stream to <paramref name="length"/> bytes (ftruncate, SetEndOfFile).</summary>
        void Truncate(FileStream stream, long length);
    }
}
