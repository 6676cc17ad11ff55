using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Reflection;

namespace AgentState.Loading
{
    /// <summary>
    /// PowerShell 7 resolves a type literal such as [AgentState.Agents.AgentStateRecord] only from assemblies in
    /// the default load context, and the engine is not there: so every public engine type is registered as a
    /// type accelerator under its own full name, the last place PowerShell's type resolver looks. The names are
    /// all in the AgentState namespace, so no name another module uses changes. The names are process-wide, and
    /// every runspace that imports the module counts: they go when the last import is removed.
    /// </summary>
    internal static class EngineTypeNames
    {
        private static readonly object Gate = new object();
        private static readonly List<KeyValuePair<string, Type>> Registered = new List<KeyValuePair<string, Type>>();
        private static int _imports;

        /// <summary>Registers every public type of <paramref name="engine"/> under its full name, on the first import.</summary>
        public static void Register(Assembly engine)
        {
            Accelerators accelerators = Accelerators.Find();
            lock (Gate)
            {
                if (_imports++ > 0)
                {
                    return;
                }

                foreach (Type type in engine.GetExportedTypes())
                {
                    string name = type.FullName!;
                    accelerators.Add(name, type);
                    Registered.Add(new KeyValuePair<string, Type>(name, type));
                }
            }
        }

        /// <summary>On the removal of the last import, removes the names <see cref="Register"/> added, where they still name the engine's types.</summary>
        public static void Unregister()
        {
            lock (Gate)
            {
                // Windows PowerShell registers none (every loaded assembly's types resolve there), so counts none.
                if (_imports == 0 || --_imports > 0)
                {
                    return;
                }

                Accelerators accelerators = Accelerators.Find();
                IDictionary<string, Type> current = accelerators.Current();
                foreach (KeyValuePair<string, Type> entry in Registered)
                {
                    if (current.TryGetValue(entry.Key, out Type? type) && type == entry.Value)
                    {
                        accelerators.Remove(entry.Key);
                    }
                }

                Registered.Clear();
            }
        }

        // System.Management.Automation.TypeAccelerators is internal; its Add, Remove and Get are public members,
        // the same ones scripts reach through [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators').
        private sealed class Accelerators
        {
            private readonly Type _type;

            private Accelerators(Type type) => _type = type;

            public static Accelerators Find() =>
                new Accelerators(typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators", throwOnError: true)!);

            public void Add(string name, Type type) => _type.GetMethod("Add", new[] { typeof(string), typeof(Type) })!.Invoke(null, new object[] { name, type });

            public void Remove(string name) => _type.GetMethod("Remove", new[] { typeof(string) })!.Invoke(null, new object[] { name });

            public IDictionary<string, Type> Current() => (IDictionary<string, Type>)_type.GetProperty("Get")!.GetValue(null)!;
        }
    }
}
