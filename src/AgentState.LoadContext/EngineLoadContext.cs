using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace AgentState.Loading
{
    /// <summary>
    /// The load context the engine (AgentState.Core) and its private dependencies (YamlDotNet) live in on
    /// PowerShell 7, loaded from the module's Dependencies folder, so that another module's YamlDotNet in the
    /// default context and this one never meet. What the platform itself supplies (System.Text.Json, and every
    /// other assembly of .NET and of PowerShell) comes from the default context: the platform's copy is at
    /// least as new as the one the module ships for Windows PowerShell, and the cmdlets see the same types.
    /// </summary>
    public sealed class EngineLoadContext : AssemblyLoadContext
    {
        private readonly string _folder;
        private readonly ISet<string> _platform;

        /// <summary>A context that loads from <paramref name="dependencyFolder"/> what the platform does not supply.</summary>
        public EngineLoadContext(string dependencyFolder)
            : this(dependencyFolder, PlatformAssemblies.Names())
        {
        }

        internal EngineLoadContext(string dependencyFolder, ISet<string> platformNames)
            : base("AgentState", isCollectible: false)
        {
            _folder = dependencyFolder;
            _platform = platformNames;
        }

        /// <summary>The folder the context loads from.</summary>
        public string Folder => _folder;

        /// <summary>Loads the engine assembly, AgentState.Core, into this context.</summary>
        public Assembly LoadEngine() => LoadFromAssemblyName(new AssemblyName(EngineBridge.EngineName));

        /// <inheritdoc />
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            string? name = assemblyName.Name;
            if (name == null || _platform.Contains(name))
            {
                return null;
            }

            string path = Path.Combine(_folder, name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
