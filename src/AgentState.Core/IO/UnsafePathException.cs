using System.IO;

namespace AgentState.IO
{
    /// <summary>
    /// A path where the module keeps a file or folder of its own (a lock file, a store's data file, the quarantine
    /// folder) holds something else: a symbolic link, a folder, a device or pipe, or a file with other hard links.
    /// Following it could let whoever planted it redirect a write, a move or a delete, so nothing was done.
    /// </summary>
    public sealed class UnsafePathException : IOException
    {
        /// <summary>Creates the exception; <paramref name="found"/> says what is there ("a symbolic link to '/etc/passwd'").</summary>
        public UnsafePathException(string path, string role, string found)
            : base($"Refusing the {role} '{path}': it is {found}, not a plain {(role.EndsWith("folder") ? "folder" : "file")}. "
                + "AgentState never follows a link, nor writes into anything else, where it keeps its own files; nothing was changed. "
                + "Remove it if nobody meant to put it there.")
        {
            Path = path;
            Role = role;
            Found = found;
        }

        /// <summary>The path that was refused.</summary>
        public string Path { get; }

        /// <summary>What the module keeps there ("lock file", "state file", "quarantine folder").</summary>
        public string Role { get; }

        /// <summary>What was found there instead.</summary>
        public string Found { get; }
    }
}
