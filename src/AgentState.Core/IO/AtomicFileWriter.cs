using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using AgentState.Text;

namespace AgentState.IO
{
    /// <summary>
    /// Replaces a file's content atomically and, by default, durably: readers and a crash see the old
    /// content or the new one, never a mix, and a returned call survives a power cut.
    /// </summary>
    /// <remarks>
    /// The steps: resolve the target through links; create <c>&lt;name&gt;.tmp.&lt;pid&gt;.&lt;random&gt;</c> beside
    /// it exclusively, with its permissions; write; fsync; rename over the target; fsync the folder.
    /// A failure before the rename removes the temp file and leaves the target untouched.
    /// </remarks>
    public sealed class AtomicFileWriter
    {
        private const int CreateAttempts = 8;
        private static readonly int ProcessId = GetProcessId();
        private readonly IFileOperations _files;

        /// <summary>A writer over the real file system.</summary>
        public AtomicFileWriter()
            : this(SystemFileOperations.Instance)
        {
        }

        /// <summary>A writer over the given file-system seam.</summary>
        public AtomicFileWriter(IFileOperations files)
        {
            _files = files ?? throw new ArgumentNullException(nameof(files));
        }

        /// <summary>Replaces <paramref name="path"/> with <paramref name="text"/> in <paramref name="encoding"/> (UTF-8 without BOM when null).</summary>
        /// <exception cref="AtomicWriteException">Any step failed; the message names the file, the step and the reason.</exception>
        public AtomicWriteResult WriteText(string path, string text, Encoding? encoding = null, AtomicWriteOptions? options = null)
        {
            if (text == null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            options = options ?? AtomicWriteOptions.Default;
            byte[] bytes;
            try
            {
                bytes = TextEncodings.Encode(text, encoding ?? TextEncodings.Get(null));
            }
            catch (EncoderFallbackException ex)
            {
                throw new AtomicWriteException(path, AtomicWriteStep.ValidateContent, FailureReason.InvalidContent,
                    $"the text has a character that {(encoding ?? Encoding.UTF8).WebName} cannot represent: {ex.Message}", ex);
            }

            if (options.Validation == ContentValidation.Json)
            {
                Validate(path, JsonText.FindError(text));
            }

            return WriteCore(path, bytes, options);
        }

        /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>.</summary>
        /// <exception cref="AtomicWriteException">Any step failed; the message names the file, the step and the reason.</exception>
        public AtomicWriteResult Write(string path, byte[] content, AtomicWriteOptions? options = null)
        {
            if (content == null)
            {
                throw new ArgumentNullException(nameof(content));
            }

            options = options ?? AtomicWriteOptions.Default;
            if (options.Validation == ContentValidation.Json)
            {
                Validate(path, JsonText.FindError(content));
            }

            return WriteCore(path, content, options);
        }

        /// <summary>
        /// Makes an existing, complete file (an orphaned temp) the content of <paramref name="targetPath"/> with
        /// the same durability rules: flush it, rename it over the target, flush the folder.
        /// </summary>
        /// <exception cref="AtomicWriteException">A step failed; before the rename, the target is unchanged.</exception>
        public AtomicWriteResult Promote(string tempPath, string targetPath)
        {
            long length = 0;
            Step(targetPath, AtomicWriteStep.Flush, () =>
            {
                // The dead writer may never have flushed it: its bytes could still be only in the page cache.
                // Opened without following a link: a temp swapped for a link since it was judged is refused.
                using (FileStream stream = Platform.NativePlatform.Current.OpenPlainFile(tempPath, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, "temp file"))
                {
                    length = stream.Length;
                    _files.FlushToDisk(stream);
                }

                return true;
            });
            Step(targetPath, AtomicWriteStep.Rename, () => { _files.Replace(tempPath, targetPath); return true; });
            string folder = Path.GetDirectoryName(Path.GetFullPath(targetPath))!;
            try
            {
                _files.FlushDirectory(folder);
            }
            catch (Exception ex) when (IsFileSystemError(ex))
            {
                throw new AtomicWriteException(targetPath, AtomicWriteStep.SyncFolder, OsFailure.Classify(ex), ex.Message, ex, targetReplaced: true);
            }

            return new AtomicWriteResult(targetPath, targetPath, length);
        }

        /// <summary>Flushes a folder's entries, so that a delete in it survives a power cut.</summary>
        public void FlushFolder(string folder) => _files.FlushDirectory(folder);

        /// <summary>
        /// Replaces <paramref name="path"/> with what <paramref name="produce"/> writes, for content too large to hold
        /// in memory. If <paramref name="produce"/> throws, the temp file is removed and the target is unchanged.
        /// </summary>
        /// <exception cref="AtomicWriteException">A file-system step failed.</exception>
        public AtomicWriteResult WriteStreaming(string path, Action<Stream> produce, AtomicWriteOptions? options = null)
        {
            options = options ?? AtomicWriteOptions.Default;
            long length = 0;
            var pending = new StreamingContent(produce, written => length = written);
            WriteCore(path, pending, options);
            return new AtomicWriteResult(path, _files.ResolveLinks(path), length);
        }

        private static void Validate(string path, string? error)
        {
            if (error != null)
            {
                throw new AtomicWriteException(path, AtomicWriteStep.ValidateContent, FailureReason.InvalidContent, "not valid JSON: " + error, null);
            }
        }

        private AtomicWriteResult WriteCore(string path, byte[] content, AtomicWriteOptions options) =>
            WriteCore(path, new StreamingContent(content), options);

        private AtomicWriteResult WriteCore(string path, StreamingContent content, AtomicWriteOptions options)
        {
            if (string.IsNullOrEmpty(path))
            {
                throw new ArgumentException("The path is empty.", nameof(path));
            }

            string target = Step(path, AtomicWriteStep.ResolveTarget, () => options.FollowLinks ? _files.ResolveLinks(path) : Path.GetFullPath(path));
            if (!options.FollowLinks && Step(path, AtomicWriteStep.ResolveTarget, () => _files.DescribeLink(target)) is string link)
            {
                // The rename would replace the link itself, harmlessly; refusing says plainly that someone planted it.
                throw new AtomicWriteException(path, AtomicWriteStep.ResolveTarget, FailureReason.UnsafePath, $"'{target}' is {link}",
                    new UnsafePathException(target, "file", link));
            }

            FileMetadata? existing = Step(path, AtomicWriteStep.ResolveTarget, () => _files.GetMetadata(target));
            if (existing != null && existing.IsDirectory)
            {
                throw new AtomicWriteException(path, AtomicWriteStep.ResolveTarget, FailureReason.IsDirectory, $"'{target}' is a folder", null);
            }

            string folder = Path.GetDirectoryName(target) ?? throw new AtomicWriteException(path, AtomicWriteStep.ResolveTarget, FailureReason.InvalidPath, "it names no file", null);
            if (!_files.DirectoryExists(folder))
            {
                if (!options.CreateDirectories)
                {
                    throw new AtomicWriteException(path, AtomicWriteStep.ResolveTarget, FailureReason.MissingFolder, $"'{folder}' does not exist; ask to create missing folders", null);
                }

                Step(path, AtomicWriteStep.CreateFolder, () => { _files.CreateDirectory(folder); return true; });
            }

            string tempPath = string.Empty;
            FileStream? temp = null;
            try
            {
                temp = CreateTemp(path, target, out tempPath);
                if (existing != null)
                {
                    Step(path, AtomicWriteStep.CopyPermissions, () => { _files.CopyPermissions(temp, existing); return true; });
                }

                content.WriteTo(path, temp, _files);
                if (options.Durability == Durability.Durable)
                {
                    Step(path, AtomicWriteStep.Flush, () => { _files.FlushToDisk(temp); return true; });
                }

                // Closing can itself report a deferred write error (NFS, quota): it belongs to the flush.
                Step(path, AtomicWriteStep.Flush, () => { temp.Dispose(); return true; });
                temp = null;
                Step(path, AtomicWriteStep.Rename, () => { _files.Replace(tempPath, target); return true; });
            }
            catch (AtomicWriteException failure)
            {
                temp?.Dispose();
                throw RemoveTemp(tempPath, failure);
            }

            if (options.Durability == Durability.Durable)
            {
                try
                {
                    _files.FlushDirectory(folder);
                }
                catch (Exception ex) when (IsFileSystemError(ex))
                {
                    throw new AtomicWriteException(path, AtomicWriteStep.SyncFolder, OsFailure.Classify(ex), ex.Message, ex, targetReplaced: true);
                }
            }

            return new AtomicWriteResult(path, target, content.Length);
        }

        /// <summary>The new content: bytes in memory, or a producer that writes them through a buffer.</summary>
        private sealed class StreamingContent
        {
            private readonly byte[]? _bytes;
            private readonly Action<Stream>? _produce;
            private readonly Action<long>? _done;

            public StreamingContent(byte[] bytes) => _bytes = bytes;

            public StreamingContent(Action<Stream> produce, Action<long> done)
            {
                _produce = produce;
                _done = done;
            }

            public long Length { get; private set; }

            public void WriteTo(string path, FileStream temp, IFileOperations files)
            {
                if (_bytes != null)
                {
                    Step(path, AtomicWriteStep.Write, () => { files.Write(temp, _bytes, 0, _bytes.Length); return true; });
                    Length = _bytes.Length;
                    return;
                }

                // The temp file is unbuffered so that each write reports its own error; a producer writes in small pieces.
                var buffered = new BufferedStream(temp, 1 << 16);
                try
                {
                    _produce!(buffered);
                }
                catch (Exception ex) when (IsFileSystemError(ex))
                {
                    throw new AtomicWriteException(path, AtomicWriteStep.Write, OsFailure.Classify(ex), ex.Message, ex);
                }
                catch (Exception ex) when (!(ex is AtomicWriteException))
                {
                    // The producer refused its own content (an invalid step, say): the message says why.
                    throw new AtomicWriteException(path, AtomicWriteStep.ValidateContent, FailureReason.InvalidContent, ex.Message, ex);
                }

                Step(path, AtomicWriteStep.Write, () => { buffered.Flush(); return true; });
                Length = temp.Length;
                _done!(Length);
            }
        }

        private FileStream CreateTemp(string path, string target, out string tempPath)
        {
            string folder = Path.GetDirectoryName(target)!;
            string name = Path.GetFileName(target);
            for (int attempt = 1; ; attempt++)
            {
                string candidate = Path.Combine(folder, TempFileName.Create(name, ProcessId));
                try
                {
                    FileStream stream = _files.CreateNew(candidate);
                    tempPath = candidate;
                    return stream;
                }
                catch (IOException ex) when (attempt < CreateAttempts && OsFailure.Classify(ex) == FailureReason.Other && File.Exists(candidate))
                {
                    // A name collision (or a planted file): draw another random name.
                }
                catch (Exception ex) when (IsFileSystemError(ex))
                {
                    throw new AtomicWriteException(path, AtomicWriteStep.CreateTemp, OsFailure.Classify(ex), ex.Message, ex);
                }
            }
        }

        private AtomicWriteException RemoveTemp(string tempPath, AtomicWriteException failure)
        {
            if (tempPath.Length == 0)
            {
                return failure;
            }

            try
            {
                _files.DeleteFile(tempPath);
                return failure;
            }
            catch (Exception ex) when (IsFileSystemError(ex))
            {
                string detail = (failure.Detail ?? string.Empty) + $"; the temp file '{tempPath}' could not be removed: {ex.Message}";
                return new AtomicWriteException(failure.Path, failure.Step, failure.Reason, detail, failure.InnerException);
            }
        }

        private static T Step<T>(string path, AtomicWriteStep step, Func<T> action)
        {
            try
            {
                return action();
            }
            catch (Exception ex) when (IsFileSystemError(ex))
            {
                throw new AtomicWriteException(path, step, OsFailure.Classify(ex), ex.Message, ex);
            }
        }

        private static bool IsFileSystemError(Exception ex) =>
            ex is IOException && !(ex is AtomicWriteException) || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException;

        private static int GetProcessId()
        {
            using (Process current = Process.GetCurrentProcess())
            {
                return current.Id;
            }
        }
    }
}
