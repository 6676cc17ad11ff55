using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using AgentState.IO;
using AgentState.Text;

namespace AgentState.Markdown
{
    /// <summary>Sets a field of a markdown file under its lock, keeping its encoding and line endings.</summary>
    public sealed class MarkdownFieldFile
    {
        private readonly LockedFileUpdater _updater;

        /// <summary>Over the real file system.</summary>
        public MarkdownFieldFile()
            : this(new LockedFileUpdater())
        {
        }

        /// <summary>Over <paramref name="updater"/>.</summary>
        public MarkdownFieldFile(LockedFileUpdater updater)
        {
            _updater = updater ?? throw new ArgumentNullException(nameof(updater));
        }

        /// <summary>Sets field <paramref name="name"/> of the file to <paramref name="value"/>.</summary>
        /// <exception cref="FileNotFoundException">The file does not exist.</exception>
        /// <exception cref="InvalidDataException">The file is not text in a known encoding.</exception>
        /// <exception cref="MarkdownFieldNotFoundException">No line holds the field and <paramref name="addIfMissing"/> is false.</exception>
        /// <exception cref="ArgumentException">The name or the value is malformed (a newline in the value).</exception>
        public MarkdownFieldResult Set(string path, string name, string value, bool addIfMissing = false, AtomicWriteOptions? options = null,
            TimeSpan? lockTimeout = null, CancellationToken cancellation = default)
        {
            // Check the arguments before taking the lock, so bad input never waits for anyone.
            MarkdownFieldEditor.Set(string.Empty, name, value, addIfMissing: true);
            MarkdownFieldEdit? edit = null;
            LockedUpdateResult update = _updater.Update(path, current =>
            {
                if (current == null)
                {
                    throw MissingFile(path, name); // Removed while we waited for the lock.
                }

                DecodedText decoded;
                try
                {
                    decoded = DecodedText.Decode(current);
                }
                catch (DecoderFallbackException ex)
                {
                    throw new InvalidDataException($"Cannot set '{name}' in '{path}': the file is not text in UTF-8 or UTF-16 ({ex.Message}). It was left as it is.", ex);
                }

                edit = MarkdownFieldEditor.Set(decoded.Text, name, value, addIfMissing);
                byte[] next = decoded.Encode(edit.Text);
                return next.AsSpan().SequenceEqual(current) ? null : next;
            }, options, lockTimeout, cancellation, () => MissingFile(path, name));

            return new MarkdownFieldResult(update.Path, name, value, edit!.PreviousValue, edit.LinesReplaced, edit.Added, update.Changed);
        }

        private static FileNotFoundException MissingFile(string path, string name) =>
            new FileNotFoundException($"Cannot set '{name}' in '{path}': the file does not exist.", path);
    }
}
