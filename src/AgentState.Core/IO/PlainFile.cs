using System.IO;
using AgentState.Platform;

namespace AgentState.IO
{
    /// <summary>
    /// Reads of files the module keeps in its own stores: never through a link, never from a pipe or device, checked
    /// on the opened handle (see <see cref="UnsafePathException"/>).
    /// </summary>
    internal static class PlainFile
    {
        /// <summary>Opens for reading, shared with writers and deleters as the stores' readers always are.</summary>
        public static FileStream OpenRead(string path, string role) =>
            NativePlatform.Current.OpenPlainFile(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, role);

        /// <summary>The whole content.</summary>
        public static byte[] ReadAllBytes(string path, string role)
        {
            using (FileStream stream = OpenRead(path, role))
            using (var copy = new MemoryStream(stream.CanSeek ? (int)stream.Length : 0))
            {
                stream.CopyTo(copy);
                return copy.ToArray();
            }
        }

        /// <summary>True when anything, a dangling link included, has the name (the link is not followed).</summary>
        public static bool Exists(string path) => NativePlatform.Current.EntryExists(path);

        /// <summary>Throws when <paramref name="path"/> is a link; nothing there, or a plain entry, passes.</summary>
        /// <exception cref="UnsafePathException">It is a link.</exception>
        public static void RefuseLink(string path, string role)
        {
            if (NativePlatform.Current.DescribeLink(path) is string link)
            {
                throw new UnsafePathException(path, role, link);
            }
        }

        /// <summary>Creates a folder the module keeps for itself (and its parents), refusing one that is a link.</summary>
        /// <exception cref="UnsafePathException">It is a link.</exception>
        public static void CreateFolder(string path, string role)
        {
            RefuseLink(path, role); // Before: a dangling link would make the creation fail with a puzzling message.
            Directory.CreateDirectory(path);
            RefuseLink(path, role);
        }
    }
}
