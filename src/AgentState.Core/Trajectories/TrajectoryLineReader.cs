using AgentState.IO;
using System;
using System.Collections.Generic;
using System.IO;
using AgentState.Json;

namespace AgentState.Trajectories
{
    /// <summary>
    /// Reads a trajectory stream line by line with a fixed buffer, so memory does not grow with the file. Every
    /// complete line is parsed; a line that is not JSON is reported as malformed with its number; bytes after the
    /// last newline are reported once as a torn tail.
    /// </summary>
    public static class TrajectoryLineReader
    {
        private const int BufferSize = 1 << 16;

        /// <summary>The lines of <paramref name="path"/> from <paramref name="offset"/> (a line start) onwards.</summary>
        public static IEnumerable<TrajectoryLine> Read(string path, long offset = 0, long firstLineNumber = 1)
        {
            using (FileStream stream = PlainFile.OpenRead(path, TrajectoryFiles.Role))
            {
                foreach (TrajectoryLine line in Read(stream, offset, firstLineNumber, stopAtEnd: true))
                {
                    yield return line;
                }
            }
        }

        /// <summary>
        /// The complete lines of an open stream from <paramref name="offset"/>; with <paramref name="stopAtEnd"/>,
        /// what is left after the last newline is reported as torn, otherwise it is left for a later call.
        /// </summary>
        public static IEnumerable<TrajectoryLine> Read(Stream stream, long offset, long firstLineNumber, bool stopAtEnd)
        {
            stream.Seek(offset, SeekOrigin.Begin);
            byte[] buffer = new byte[BufferSize];
            int start = 0, filled = 0;
            long lineNumber = firstLineNumber;
            long bufferOffset = offset;
            while (true)
            {
                int read = stream.Read(buffer, filled, buffer.Length - filled);
                filled += read;
                int scanFrom = start;
                while (true)
                {
                    int newline = Array.IndexOf(buffer, (byte)'\n', scanFrom, filled - scanFrom);
                    if (newline < 0)
                    {
                        break;
                    }

                    yield return Parse(buffer, start, newline + 1 - start, bufferOffset + start, lineNumber++);
                    start = newline + 1;
                    scanFrom = start;
                }

                if (read == 0)
                {
                    if (stopAtEnd && filled > start)
                    {
                        yield return new TrajectoryLine(TrajectoryLineKind.Torn, lineNumber, bufferOffset + start, filled - start, null, null);
                    }

                    yield break;
                }

                // Keep the partial line: move it to the front, growing the buffer for a line longer than it.
                int partial = filled - start;
                if (partial == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
                else if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, partial);
                }

                bufferOffset += start;
                start = 0;
                filled = partial;
            }
        }

        internal static TrajectoryLine Parse(byte[] buffer, int start, int length, long offset, long lineNumber)
        {
            int content = length;
            while (content > 0 && (buffer[start + content - 1] == (byte)'\n' || buffer[start + content - 1] == (byte)'\r'))
            {
                content--;
            }

            try
            {
                var bytes = new byte[content];
                Buffer.BlockCopy(buffer, start, bytes, 0, content);
                if (!(JsonTreeReader.Read(bytes).Root is OrderedJsonObject obj))
                {
                    return new TrajectoryLine(TrajectoryLineKind.Malformed, lineNumber, offset, length, null, "the line is JSON but not an object");
                }

                TrajectoryLineKind kind = obj.ContainsKey("__header__") ? TrajectoryLineKind.Header
                    : obj.ContainsKey("__final__") ? TrajectoryLineKind.Final
                    : TrajectoryLineKind.Step;
                return new TrajectoryLine(kind, lineNumber, offset, length, obj, null);
            }
            catch (JsonTreeException ex)
            {
                return new TrajectoryLine(TrajectoryLineKind.Malformed, lineNumber, offset, length, null, ex.Message);
            }
        }
    }
}
