using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using AgentState.IO;

namespace AgentState.Runs
{
    /// <summary>The last lines of an output, read from its end: a gigabyte log costs one small read.</summary>
    internal static class TextTail
    {
        private const int MaxBytes = 64 * 1024;

        public static IReadOnlyList<string> Of(string? text, int lines) => text == null ? new string[0] : Last(text, lines);

        public static IReadOnlyList<string> OfFile(string path, int lines)
        {
            if (!PlainFile.Exists(path))
            {
                return new string[0];
            }

            using (FileStream stream = PlainFile.OpenRead(path, "agent output log"))
            {
                long start = Math.Max(0, stream.Length - MaxBytes);
                stream.Seek(start, SeekOrigin.Begin);
                var bytes = new byte[stream.Length - start];
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

                string text = Encoding.UTF8.GetString(bytes, 0, read);
                if (start > 0)
                {
                    int newline = text.IndexOf('\n');
                    text = newline < 0 ? text : text.Substring(newline + 1); // The first line is cut: not shown as if whole.
                }

                return Last(text, lines);
            }
        }

        private static IReadOnlyList<string> Last(string text, int lines)
        {
            string[] all = text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
            if (all.Length == 1 && all[0].Length == 0)
            {
                return new string[0];
            }

            return all.Skip(Math.Max(0, all.Length - lines)).ToArray();
        }
    }
}
