using System.IO;
using AgentState.Platform;

namespace AgentState.IO
{
    /// <summary>The real calls, through the platform seam.</summary>
    public sealed class SystemAppendOperations : IAppendOperations
    {
        /// <summary>The shared instance.</summary>
        public static SystemAppendOperations Instance { get; } = new SystemAppendOperations();

        private SystemAppendOperations()
        {
        }

        /// <inheritdoc />
        public void Write(FileStream stream, byte[] buffer, int offset, int count) => stream.Write(buffer, offset, count);

        /// <inheritdoc />
        public void FlushData(FileStream stream) => NativePlatform.Current.FlushData(stream);

        /// <inheritdoc />
        public void Truncate(FileStream stream, long length) => stream.SetLength(length);
    }
}
