using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace AgentState.Loading
{
    /// <summary>
    /// Runs when PowerShell imports the module's first nested module (this assembly), before the cmdlets
    /// assembly loads: PowerShell reflects over the cmdlet classes as it imports them, and that already needs
    /// the engine. Makes the engine loadable the platform's way (see the project file), and on PowerShell 7 names
    /// the engine's types for scripts; removing the module takes the names away again.
    /// </summary>
    public sealed class ModuleLoader : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        /// <inheritdoc />
        public void OnImport()
        {
            string root = ModuleFolders.Root;
            if (IsNetFramework)
            {
                AssemblyResolveHook.Install(root);
                return;
            }

            // The net8.0 half: the load context cannot be written against netstandard2.0 without another package.
            Assembly loadContext = Assembly.LoadFrom(Path.Combine(root, ModuleFolders.LoadContextAssemblyFile));
            MethodInfo install = loadContext.GetType("AgentState.Loading.EngineBridge", throwOnError: true)!.GetMethod("Install")!;
            var engine = (Assembly)install.Invoke(null, new object[] { ModuleFolders.Dependencies(root) })!;
            EngineTypeNames.Register(engine);
        }

        /// <inheritdoc />
        public void OnRemove(PSModuleInfo psModuleInfo) => EngineTypeNames.Unregister();

        // Windows PowerShell 5.1 runs on .NET Framework, whose core library is mscorlib; .NET's is System.Private.CoreLib.
        private static bool IsNetFramework => typeof(object).Assembly.GetName().Name == "mscorlib";
    }
}
