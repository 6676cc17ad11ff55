using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using AgentState.IO;
using AgentState.Json;
using AgentState.Platform;
using AgentState.Text;

namespace AgentState.Runs
{
    /// <summary>
    /// A run's events.jsonl: one line per event, appended with one write call and an fdatasync, numbered 1, 2, 3 ...
    /// under the run's lock (which the caller holds), so that events from many processes are in order with no
    /// number twice. A torn last line (a writer killed mid-write) is moved into events.jsonl.torn before the next append.
    /// </summary>
    internal static class RunEventLog
    {
        public const string Role = "run event stream";

        /// <summary>Appends an event; the caller holds the run's lock.</summary>
        public static RunEvent Append(string folder, string runId, RunEventDraft draft, DateTimeOffset now)
        {
            string path = Path.Combine(folder, RunFiles.Events);
            bool created = !PlainFile.Exists(path);
            using (FileStream stream = NativePlatform.Current.OpenPlainFile(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, Role))
            {
                long end = SetTornTailAside(folder, stream);
                long last = end == 0 ? 0 : LastSequence(stream, end, path);
                var fields = new OrderedJsonObject
                {
                    ["seq"] = last + 1,
                    ["time"] = IsoTimestamp.Format(now),
                    ["type"] = draft.Type,
                    ["runId"] = runId,
                };
                if (draft.Iteration is int iteration)
                {
                    fields["iteration"] = (long)iteration;
                }

                JsonFields.SetIfGiven(fields, "file", draft.File);
                JsonFields.SetIfGiven(fields, "data", draft.Data);
                byte[] line = JsonTreeWriter.WriteLine(fields);
                stream.Seek(end, SeekOrigin.Begin);
                try
                {
                    // One write call for the whole line: a reader or a crash sees all of it or a torn tail, never a mix.
                    stream.Write(line, 0, line.Length);
                    stream.Flush();
                    NativePlatform.Current.FlushData(stream);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    TryCut(stream, end);
                    throw new AtomicWriteException(path, AtomicWriteStep.Write, OsFailure.Classify(ex), ex.Message, ex);
                }

                if (created)
                {
                    NativePlatform.Current.FlushDirectory(folder); // The new file's name must survive a power cut too.
                }

                return new RunEvent(fields);
            }
        }

        /// <summary>The complete events of the stream from byte <paramref name="offset"/>; <paramref name="end"/> is where they stop.</summary>
        public static List<RunEvent> Read(string path, long offset, out long end)
        {
            var events = new List<RunEvent>();
            end = offset;
            if (!PlainFile.Exists(path))
            {
                return events;
            }

            using (FileStream stream = PlainFile.OpenRead(path, Role))
            {
                if (stream.Length <= offset)
                {
                    return events;
                }

                stream.Seek(offset, SeekOrigin.Begin);
                var bytes = new byte[stream.Length - offset];
                int read = 0;
                while (read < bytes.Length)
                {
                    int n = stream.Read(bytes, read, bytes.Length - read);
                    if (n == 0)
                    {
                        break;
                    }

                    read += n;
                }

                int start = 0;
                for (int i = 0; i < read; i++)
                {
                    if (bytes[i] != (byte)'\n')
                    {
                        continue;
                    }

                    events.Add(Parse(path, bytes, start, i - start, offset + start));
                    start = i + 1;
                }

                end = offset + start; // A last line without its newline is still being written, or torn: not an event yet.
            }

            return events;
        }

        /// <summary>
        /// Yields events as they are appended, from the start or from now on, until run:complete, the timeout or the
        /// cancellation; looks for new lines at least every 50 ms.
        /// </summary>
        public static IEnumerable<RunEvent> Follow(string path, bool fromStart, TimeSpan? timeout, CancellationToken cancellation, Action? onTimeout)
        {
            DateTime? deadline = timeout == null ? (DateTime?)null : DateTime.UtcNow + timeout.Value;
            long offset = 0;
            if (!fromStart)
            {
                Read(path, 0, out offset);
            }

            while (true)
            {
                foreach (RunEvent e in Read(path, offset, out offset))
                {
                    yield return e;
                    if (e.Type == RunEventTypes.RunComplete)
                    {
                        yield break;
                    }
                }

                if (cancellation.IsCancellationRequested)
                {
                    yield break;
                }

                if (deadline != null && DateTime.UtcNow >= deadline.Value)
                {
                    onTimeout?.Invoke();
                    yield break;
                }

                int wait = 50;
                if (deadline != null)
                {
                    wait = (int)Math.Max(1, Math.Min(wait, (deadline.Value - DateTime.UtcNow).TotalMilliseconds));
                }

                cancellation.WaitHandle.WaitOne(wait);
            }
        }

        private static RunEvent Parse(string path, byte[] bytes, int start, int length, long offset)
        {
            try
            {
                var text = Encoding.UTF8.GetString(bytes, start, length);
                if (JsonTreeReader.Read(text).Root is OrderedJsonObject fields)
                {
                    return new RunEvent(fields);
                }

                throw new RunCorruptException(path, $"the line at byte {offset} is JSON but not an object");
            }
            catch (JsonTreeException ex)
            {
                throw new RunCorruptException(path, $"the line at byte {offset} is not JSON ({ex.Message.TrimEnd('.')})", ex);
            }
        }

        /// <summary>Moves bytes after the last newline into events.jsonl.torn and cuts them off; returns the new end.</summary>
        private static long SetTornTailAside(string folder, FileStream stream)
        {
            long length = stream.Length;
            if (length == 0)
            {
                return 0;
            }

            long lineStart = FindLineStart(stream, length);
            if (lineStart == length)
            {
                return length;
            }

            var torn = new byte[length - lineStart];
            stream.Seek(lineStart, SeekOrigin.Begin);
            ReadExactly(stream, torn);
            string tornPath = Path.Combine(folder, RunFiles.TornEvents);
            using (FileStream aside = NativePlatform.Current.OpenPlainFile(tornPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, Role))
            {
                aside.Seek(0, SeekOrigin.End);
                byte[] line = new byte[torn.Length + 1];
                Buffer.BlockCopy(torn, 0, line, 0, torn.Length);
                line[torn.Length] = (byte)'\n';
                aside.Write(line, 0, line.Length);
                aside.Flush();
                NativePlatform.Current.FlushData(aside);
            }

            NativePlatform.Current.FlushDirectory(folder);
            stream.SetLength(lineStart);
            NativePlatform.Current.FlushData(stream);
            return lineStart;
        }

        /// <summary>Where the last line starts: just after the last newline before <paramref name="end"/> (or at 0).</summary>
        private static long FindLineStart(FileStream stream, long end)
        {
            // Small first: an event line is a few hundred bytes; a long one makes the window grow.
            var buffer = new byte[4096];
            long position = end;
            while (position > 0)
            {
                if (end - position >= buffer.Length && buffer.Length < 1 << 20)
                {
                    buffer = new byte[buffer.Length * 4];
                }

                int size = (int)Math.Min(buffer.Length, position);
                position -= size;
                stream.Seek(position, SeekOrigin.Begin);
                ReadExactly(stream, buffer, size);
                for (int i = size - 1; i >= 0; i--)
                {
                    if (buffer[i] == (byte)'\n')
                    {
                        return position + i + 1;
                    }
                }
            }

            return 0;
        }

        private static long LastSequence(FileStream stream, long end, string path)
        {
            long start = FindLineStart(stream, end - 1);
            var line = new byte[end - 1 - start];
            stream.Seek(start, SeekOrigin.Begin);
            ReadExactly(stream, line);
            RunEvent last = Parse(path, line, 0, line.Length, start);
            long seq = last.Sequence;
            if (seq <= 0)
            {
                throw new RunCorruptException(path, $"its last line (at byte {start}) has no seq number");
            }

            return seq;
        }

        private static void ReadExactly(Stream stream, byte[] buffer, int? count = null)
        {
            int want = count ?? buffer.Length, read = 0;
            while (read < want)
            {
                int n = stream.Read(buffer, read, want - read);
                if (n == 0)
                {
                    throw new EndOfStreamException();
                }

                read += n;
            }
        }

        private static void TryCut(FileStream stream, long end)
        {
            try
            {
                stream.SetLength(end);
            }
            catch (IOException)
            {
                // Left as a torn tail; the next append sets it aside.
            }
        }
    }
}
