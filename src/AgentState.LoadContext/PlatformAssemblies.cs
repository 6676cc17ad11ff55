using System;
using System.Collections.Generic;
using System.IO;

namespace AgentState.Loading
{
    /// <summary>The simple names of the assemblies the running platform supplies (its trusted platform assemblies).</summary>
    internal static class PlatformAssemblies
    {
        /// <summary>
        /// The names in TRUSTED_PLATFORM_ASSEMBLIES: .NET's shared framework and, in pwsh, everything in $PSHOME
        /// (pwsh.deps.json lists it), which is what the default context loads without any resolver.
        /// </summary>
        public static ISet<string> Names()
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            string list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
            foreach (string path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                names.Add(Path.GetFileNameWithoutExtension(path));
            }

            return names;
        }
    }
}
