using System.IO;

namespace AgentState.Loading
{
    /// <summary>The module's folder layout: the loader and the cmdlets at the root, the engine and its dependencies in Dependencies/.</summary>
    public static class ModuleFolders
    {
        /// <summary>The subfolder holding the engine and its dependencies; PowerShell does not probe it by itself.</summary>
        public const string DependencyFolderName = "Dependencies";

        /// <summary>The PowerShell 7 half of the loader, beside it at the module root.</summary>
        public const string LoadContextAssemblyFile = "AgentState.LoadContext.dll";

        /// <summary>The folder of the loaded module: where this assembly is.</summary>
        public static string Root => Path.GetDirectoryName(typeof(ModuleFolders).Assembly.Location)!;

        /// <summary>The dependency folder of the module at <paramref name="root"/>.</summary>
        public static string Dependencies(string root) => Path.Combine(root, DependencyFolderName);
    }
}
