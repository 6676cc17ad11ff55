using System;
using System.Collections.Generic;
using System.IO;
using AgentState.IO;

namespace AgentState.Tests.Support
{
    /// <summary>
    /// The real file system with one operation made to fail the way the kernel would fail it
    /// (an IOException carrying the errno, as .NET raises on Unix), and a log of the calls made.
    /// </summary>
    public sealed class FaultyFileOperations : IFileOperations
    {
        private readonly IFileOperations _inner = SystemFileOperations.Instance;

        public string? FailOn { get; set; }

        public Exception Failure { get; set; } = Errno(28, "No space left on device");

        public bool FailDelete { get; set; }

        public List<string> Calls { get; } = new List<string>();

        public List<string> Created { get; } = new List<string>();

        public static IOException Errno(int errno, string message) => new IOException(message, errno);

        private void Enter(string operation)
        {
            Calls.Add(operation);
            if (operation == FailOn)
            {
                throw Failure;
            }
        }

        public string ResolveLinks(string path) { Enter(nameof(ResolveLinks)); return _inner.ResolveLinks(path); }

        public string? DescribeLink(string path) { Enter(nameof(DescribeLink)); return _inner.DescribeLink(path); }

        public FileMetadata? GetMetadata(string path) { Enter(nameof(GetMetadata)); return _inner.GetMetadata(path); }

        public bool DirectoryExists(string path) { Enter(nameof(DirectoryExists)); return _inner.DirectoryExists(path); }

        public void CreateDirectory(string path) { Enter(nameof(CreateDirectory)); _inner.CreateDirectory(path); }

        public FileStream CreateNew(string path) { Enter(nameof(CreateNew)); Created.Add(path); return _inner.CreateNew(path); }

        public void CopyPermissions(FileStream file, FileMetadata source) { Enter(nameof(CopyPermissions)); _inner.CopyPermissions(file, source); }

        public void Write(FileStream file, byte[] buffer, int offset, int count)
        {
            if (FailOn == nameof(Write))
            {
                // A disk that fills up part-way: half the bytes land, then the error.
                _inner.Write(file, buffer, offset, count / 2);
            }

            Enter(nameof(Write));
            _inner.Write(file, buffer, offset, count);
        }

        public void FlushToDisk(FileStream file) { Enter(nameof(FlushToDisk)); _inner.FlushToDisk(file); }

        public void Replace(string source, string destination) { Enter(nameof(Replace)); _inner.Replace(source, destination); }

        public void FlushDirectory(string directory) { Enter(nameof(FlushDirectory)); _inner.FlushDirectory(directory); }

        public void DeleteFile(string path)
        {
            Calls.Add(nameof(DeleteFile));
            if (FailDelete)
            {
                throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
            }

            _inner.DeleteFile(path);
        }
    }
}
