using System;

namespace AgentState.Platform
{
    /// <summary>
    /// A folder held open by handle, so that what is moved into it lands in the folder that was checked, not in
    /// whatever a link swapped in under its name points at.
    /// </summary>
    internal abstract class PinnedFolder : IDisposable
    {
        protected PinnedFolder(string path) => Path = path;

        /// <summary>The folder's path when it was opened.</summary>
        public string Path { get; }

        /// <summary>
        /// Moves <paramref name="source"/> (a file, or a link itself, never what it points at) into the folder as
        /// <paramref name="name"/>; false, and nothing moved, when that name is taken.
        /// </summary>
        public abstract bool MoveInto(string source, string name);

        public abstract void Dispose();
    }
}
