using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace AgentState.Loading
{
    /// <summary>
    /// Windows PowerShell 5.1's half of dependency isolation: which of the module's own assemblies answers a
    /// failed load, in place of the binding redirects a module cannot have. Only names the module ships are
    /// answered, and only for a version the shipped file can stand in for; another module's requests for other
    /// assemblies, or for a newer version, are left alone.
    /// </summary>
    public sealed class ShippedAssemblies
    {
        private readonly Dictionary<string, Shipped> _byName;
        private readonly string[] _ownFolders;

        private ShippedAssemblies(Dictionary<string, Shipped> byName, string[] ownFolders)
        {
            _byName = byName;
            _ownFolders = ownFolders;
        }

        /// <summary>The assemblies in <paramref name="dependencyFolder"/>, answering for requests from the module's folders.</summary>
        /// <param name="dependencyFolder">Where the shipped assemblies are.</param>
        /// <param name="moduleFolder">The module's root, whose assemblies (the cmdlets) count as the module's own.</param>
        public static ShippedAssemblies FromFolder(string dependencyFolder, string moduleFolder)
        {
            var byName = new Dictionary<string, Shipped>(StringComparer.OrdinalIgnoreCase);
            foreach (string path in Directory.GetFiles(dependencyFolder, "*.dll"))
            {
                AssemblyName name = AssemblyName.GetAssemblyName(path);
                byName[name.Name!] = new Shipped(path, name);
            }

            return new ShippedAssemblies(byName, new[] { FolderKey(dependencyFolder), FolderKey(moduleFolder) });
        }

        /// <summary>The simple names of the shipped assemblies.</summary>
        public IEnumerable<string> Names => _byName.Keys;

        /// <summary>
        /// The file that answers <paramref name="requested"/>, or null. A request from one of the module's own
        /// assemblies gets the shipped file when it asks for that version or an older one (what a binding
        /// redirect would do: System.Memory asks for an older System.Runtime.CompilerServices.Unsafe than the
        /// one System.Text.Json needs). A request whose requester is unknown gets it only for the exact
        /// version; one from any other assembly never does.
        /// </summary>
        /// <param name="requested">The assembly the runtime failed to load.</param>
        /// <param name="requesterLocation">The file of the assembly whose reference it is; null when the runtime does not say.</param>
        public string? PathFor(AssemblyName requested, string? requesterLocation)
        {
            if (requested.Name == null || !_byName.TryGetValue(requested.Name, out Shipped? shipped))
            {
                return null;
            }

            if (!SameKey(requested.GetPublicKeyToken(), shipped.Name.GetPublicKeyToken()))
            {
                return null;
            }

            Version? wanted = requested.Version;
            bool own = requesterLocation != null && IsOwn(requesterLocation);
            if (requesterLocation != null && !own)
            {
                return null;
            }

            bool fits = own ? wanted == null || wanted <= shipped.Name.Version : wanted == shipped.Name.Version;
            return fits ? shipped.Path : null;
        }

        private bool IsOwn(string location)
        {
            // An assembly loaded from bytes has no location: it is not one of the module's files.
            string? folder = location.Length == 0 ? null : Path.GetDirectoryName(location);
            return !string.IsNullOrEmpty(folder) && Array.IndexOf(_ownFolders, FolderKey(folder!)) >= 0;
        }

        private static string FolderKey(string folder) =>
            Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).ToUpperInvariant();

        // A request with no token (a simple name) may take a strong-named file; one with a token only a file with that token.
        private static bool SameKey(byte[]? requested, byte[]? shipped)
        {
            if (requested == null || requested.Length == 0)
            {
                return true;
            }

            if (shipped == null || shipped.Length != requested.Length)
            {
                return false;
            }

            for (int i = 0; i < requested.Length; i++)
            {
                if (requested[i] != shipped[i])
                {
                    return false;
                }
            }

            return true;
        }

        private sealed class Shipped
        {
            public Shipped(string path, AssemblyName name)
            {
                Path = path;
                Name = name;
            }

            public string Path { get; }

            public AssemblyName Name { get; }
        }
    }
}
