using System;
using System.Reflection;

namespace AgentState.Loading
{
    /// <summary>
    /// Windows PowerShell 5.1: one AppDomain.AssemblyResolve handler that loads the module's own assemblies
    /// from Dependencies/ as <see cref="ShippedAssemblies"/> allows. The runtime raises the event only for a load
    /// it could not satisfy, so every load that already works, the module's or anyone else's, is untouched.
    /// </summary>
    internal static class AssemblyResolveHook
    {
        private static readonly object Gate = new object();
        private static bool _installed;

        /// <summary>Hooks the event once per process for the module at <paramref name="moduleRoot"/>.</summary>
        public static void Install(string moduleRoot)
        {
            lock (Gate)
            {
                if (_installed)
                {
                    return;
                }

                ShippedAssemblies shipped = ShippedAssemblies.FromFolder(ModuleFolders.Dependencies(moduleRoot), moduleRoot);
                AppDomain.CurrentDomain.AssemblyResolve += (_, args) =>
                {
                    string? path = shipped.PathFor(new AssemblyName(args.Name), args.RequestingAssembly?.Location);
                    return path == null ? null : Assembly.LoadFrom(path);
                };
                _installed = true;
            }
        }
    }
}
