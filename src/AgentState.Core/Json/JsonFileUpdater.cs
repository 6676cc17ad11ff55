using System;
using System.IO;
using System.Linq;
using System.Threading;
using AgentState.IO;

namespace AgentState.Json
{
    /// <summary>
    /// Read-modify-write of a JSON file under its lock: the document is read into plain values, changed by
    /// the caller, and written back with its layout, member order, unknown fields and number texts kept.
    /// A change that leaves the bytes as they were writes nothing.
    /// </summary>
    public sealed class JsonFileUpdater
    {
        private readonly LockedFileUpdater _updater;

        /// <summary>An updater over the real file system.</summary>
        public JsonFileUpdater()
            : this(new LockedFileUpdater())
        {
        }

        /// <summary>An updater over <paramref name="updater"/>.</summary>
        public JsonFileUpdater(LockedFileUpdater updater)
        {
            _updater = updater ?? throw new ArgumentNullException(nameof(updater));
        }

        /// <summary>
        /// Replaces the document in <paramref name="path"/> with what <paramref name="transform"/> returns for it.
        /// The transform may change the value it is given and return it, or return a new one.
        /// </summary>
        /// <param name="path">The JSON file.</param>
        /// <param name="transform">Given the document's root value; returns the new root.</param>
        /// <param name="createIfMissing">Start from an empty object when the file does not exist.</param>
        /// <param name="maxDepth">The deepest nesting the result may have; deeper is an error, never a silent cut.</param>
        /// <param name="options">Durability and folder creation.</param>
        /// <param name="lockTimeout">How long to wait for the lock.</param>
        /// <param name="cancellation">Stops a wait for the lock.</param>
        /// <exception cref="FileNotFoundException">The file does not exist and <paramref name="createIfMissing"/> is false.</exception>
        /// <exception cref="InvalidDataException">The file is not valid JSON; it is left as it is.</exception>
        /// <exception cref="JsonTreeException">The new document has a value with no JSON form, or nests too deep.</exception>
        public JsonFileUpdateResult Update(string path, Func<object?, object?> transform, bool createIfMissing = false, int maxDepth = JsonTreeReader.MaxDepth,
            AtomicWriteOptions? options = null, TimeSpan? lockTimeout = null, CancellationToken cancellation = default)
        {
            if (transform == null)
            {
                throw new ArgumentNullException(nameof(transform));
            }

            object? result = null;
            LockedUpdateResult update = _updater.Update(path, current =>
            {
                JsonTree tree = Read(path, current, createIfMissing);
                result = transform(tree.Root);
                byte[] next = JsonTreeWriter.Write(result, tree, maxDepth);
                return current != null && next.AsSpan().SequenceEqual(current) ? null : next;
            }, options, lockTimeout, cancellation, createIfMissing ? null : () => MissingFile(path));

            return new JsonFileUpdateResult(update.Path, update.Changed, result);
        }

        private static FileNotFoundException MissingFile(string path) =>
            new FileNotFoundException($"Cannot update '{path}': the file does not exist; ask to create it to start from an empty object.", path);

        private static JsonTree Read(string path, byte[]? current, bool createIfMissing)
        {
            if (current == null)
            {
                if (!createIfMissing)
                {
                    throw MissingFile(path); // Removed while we waited for the lock.
                }

                return JsonTree.CreateEmptyObject();
            }

            try
            {
                return JsonTreeReader.Read(current);
            }
            catch (JsonTreeException ex)
            {
                throw new InvalidDataException($"Cannot update '{path}': {ex.Message} The file was left as it is.", ex);
            }
        }
    }
}
