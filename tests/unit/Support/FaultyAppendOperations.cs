using System;
using System.Collections.Generic;
using System.IO;
using AgentState.IO;

namespace AgentState.Tests.Support
{
    /// <summary>
    /// The real stream calls with one made to fail the way the kernel would fail it (an IOException carrying the
    /// errno, as .NET raises on Unix), and a log of the calls made.
    /// </summary>
    public sealed class FaultyAppendOperations : IAppendOperations
    {
        private readonly IAppendOperations _inner = SystemAppendOperations.Instance;

        /// <summary>The operations to fail, every time they are called: Write, FlushData, Truncate.</summary>
        public HashSet<string> FailOn { get; } = new HashSet<string>();

        public Exception Failure { get; set; } = Errno(28, "No space left on device");

        public List<string> Calls { get; } = new List<string>();

        public static IOException Errno(int errno, string message) => new IOException(message, errno);

        private bool Failing(string operation)
        {
            Calls.Add(operation);
            return FailOn.Contains(operation);
        }

        public void Write(FileStream stream, byte[] buffer, int offset, int count)
        {
            if (Failing(nameof(Write)))
            {
                // A disk that fills up part-way: half the bytes land, then the error.
                _inner.Write(stream, buffer, offset, count / 2);
                throw Failure;
            }

            _inner.Write(stream, buffer, offset, count);
        }

        public void FlushData(FileStream stream)
        {
            if (Failing(nameof(FlushData)))
            {
                throw Failure;
            }

            _inner.FlushData(stream);
        }

        public void Truncate(FileStream stream, long length)
        {
            if (Failing(nameof(Truncate)))
            {
                throw Failure;
            }

            _inner.Truncate(stream, length);
        }
    }
}
