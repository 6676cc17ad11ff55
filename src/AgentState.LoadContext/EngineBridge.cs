using System;
using System.Reflection;
using System.Runtime.Loader;

namespace AgentState.Loading
{
    /// <summary>
    /// The one way across from the default context to the engine's: when the cmdlets (in the default context)
    /// need AgentState.Core, the default context's Resolving event gets it from <see cref="EngineLoadContext"/>.
    /// It answers for that name only, so nothing any other assembly asks the default context for changes.
    /// </summary>
    public static class EngineBridge
    {
        /// <summary>The engine's assembly name, the only name the bridge answers for.</summary>
        public const string EngineName = "AgentState.Core";

        private static readonly object Gate = new object();
        private static EngineLoadContext? _installed;

        /// <summary>
        /// Creates the engine's context on <paramref name="dependencyFolder"/> and hooks the default context's
        /// Resolving event, once per process: a second import (Import-Module -Force, another runspace) finds the
        /// engine the cmdlets are already bound to, whatever folder it names. Returns the engine assembly.
        /// </summary>
        public static Assembly Install(string dependencyFolder)
        {
            lock (Gate)
            {
                if (_installed == null)
                {
                    var context = new EngineLoadContext(dependencyFolder);
                    AssemblyLoadContext.Default.Resolving += (_, name) => Resolve(context, name);
                    _installed = context;
                }

                return _installed.LoadEngine();
            }
        }

        /// <summary>What the default context gets for <paramref name="requested"/>: the engine from <paramref name="context"/>, or null for any other name.</summary>
        public static Assembly? Resolve(EngineLoadContext context, AssemblyName requested) =>
            string.Equals(requested.Name, EngineName, StringComparison.OrdinalIgnoreCase) ? context.LoadEngine() : null;
    }
}
