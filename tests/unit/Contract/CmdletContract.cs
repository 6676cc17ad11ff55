using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using AgentState.Tests.Support;

namespace AgentState.Tests.Contract
{
    /// <summary>A parameter's declaration in one parameter set.</summary>
    public sealed record ParameterInSet(string Set, bool Mandatory, int? Position, bool FromPipeline, bool FromPipelineByPropertyName);

    /// <summary>A cmdlet parameter as declared by its attributes.</summary>
    public sealed record DeclaredParameter(string Name, string TypeName, IReadOnlyList<string> Aliases, IReadOnlyList<ParameterInSet> Sets, IReadOnlyList<string> ValidateSet, bool SupportsWildcards, string? Completer = null, IReadOnlyList<object?>? ValidateRange = null)
    {
        public ParameterInSet In(string set) => Sets.Single(s => s.Set == set || s.Set == "__AllParameterSets");
    }

    /// <summary>A cmdlet as declared by its attributes.</summary>
    public sealed record DeclaredCmdlet(string Name, string Verb, string TypeFullName, string? DefaultSet, bool SupportsShouldProcess, string ConfirmImpact, IReadOnlyList<string> OutputTypes, IReadOnlyList<string> Aliases, IReadOnlyList<DeclaredParameter> Parameters)
    {
        public DeclaredParameter Parameter(string name) => Parameters.Single(p => p.Name == name);

        public IReadOnlyList<string> ParameterSets => Parameters.SelectMany(p => p.Sets).Select(s => s.Set).Where(s => s != "__AllParameterSets").Distinct().OrderBy(s => s).ToList();
    }

    /// <summary>
    /// Reads the cmdlets of the built module with MetadataLoadContext: the contract PowerShell would
    /// see, without running PowerShell.
    /// </summary>
    public static class CmdletContract
    {
        private static readonly Lazy<Loaded> Module = new Lazy<Loaded>(Load);

        public static IReadOnlyList<DeclaredCmdlet> Cmdlets => Module.Value.Cmdlets;

        public static IReadOnlySet<string> ApprovedVerbs => Module.Value.ApprovedVerbs;

        public static DeclaredCmdlet Get(string name) => Cmdlets.Single(c => c.Name == name);

        public static IReadOnlyList<AssemblyName> References(string assemblyPath) => Module.Value.References(assemblyPath);

        /// <summary>The value of a constant of a type of the module (public or not).</summary>
        public static object FindConstant(string typeName, string field) => Module.Value.FindConstant(typeName, field);

        /// <summary>A public type of the module's own assemblies, by full name; null when there is none.</summary>
        public static Type? FindType(string fullName) => Module.Value.FindType(fullName);

        private sealed class Loaded
        {
            private readonly MetadataLoadContext _context;

            public Loaded(MetadataLoadContext context, IReadOnlyList<DeclaredCmdlet> cmdlets, IReadOnlySet<string> verbs)
            {
                _context = context;
                Cmdlets = cmdlets;
                ApprovedVerbs = verbs;
            }

            public IReadOnlyList<DeclaredCmdlet> Cmdlets { get; }

            public IReadOnlySet<string> ApprovedVerbs { get; }

            public IReadOnlyList<AssemblyName> References(string path) => _context.LoadFromAssemblyPath(path).GetReferencedAssemblies();

            public object FindConstant(string typeName, string field) =>
                _context.LoadFromAssemblyPath(Path.Combine(RepoPaths.ModuleFolder, "AgentState.Cmdlets.dll")).GetType(typeName, throwOnError: true)!
                    .GetField(field, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.GetRawConstantValue()!;

            public Type? FindType(string fullName) =>
                new[] { Path.Combine(RepoPaths.ModuleDependencies, "AgentState.Core.dll"), Path.Combine(RepoPaths.ModuleFolder, "AgentState.Cmdlets.dll") }
                    .Select(dll => _context.LoadFromAssemblyPath(dll).GetType(fullName))
                    .FirstOrDefault(t => t != null && t.IsPublic);
        }

        private static Loaded Load()
        {
            string sma = Path.Combine(AppContext.BaseDirectory, "System.Management.Automation.dll");
            string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var paths = Directory.GetFiles(runtime, "*.dll").Where(p => !p.EndsWith("System.Management.Automation.dll", StringComparison.OrdinalIgnoreCase)).ToList();
            paths.Add(sma);
            paths.AddRange(Directory.GetFiles(RepoPaths.ModuleFolder, "*.dll"));
            paths.AddRange(Directory.GetFiles(RepoPaths.ModuleDependencies, "*.dll"));
            var byName = paths.GroupBy(p => Path.GetFileName(p), StringComparer.OrdinalIgnoreCase).Select(g => g.Last());
            var context = new MetadataLoadContext(new PathAssemblyResolver(byName), "System.Private.CoreLib");

            Assembly smaAssembly = context.LoadFromAssemblyPath(sma);
            var verbs = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (string verbClass in new[] { "VerbsCommon", "VerbsCommunications", "VerbsData", "VerbsDiagnostic", "VerbsLifecycle", "VerbsOther", "VerbsSecurity" })
            {
                foreach (FieldInfo field in smaAssembly.GetType("System.Management.Automation." + verbClass, throwOnError: true)!.GetFields(BindingFlags.Public | BindingFlags.Static))
                {
                    verbs.Add((string)field.GetRawConstantValue()!);
                }
            }

            Assembly module = context.LoadFromAssemblyPath(Path.Combine(RepoPaths.ModuleFolder, "AgentState.Cmdlets.dll"));
            var cmdlets = new List<DeclaredCmdlet>();
            foreach (Type type in module.GetTypes())
            {
                CustomAttributeData? cmdlet = type.GetCustomAttributesData().SingleOrDefault(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute");
                if (cmdlet != null)
                {
                    cmdlets.Add(Read(type, cmdlet));
                }
            }

            return new Loaded(context, cmdlets.OrderBy(c => c.Name).ToList(), verbs);
        }

        private static DeclaredCmdlet Read(Type type, CustomAttributeData cmdlet)
        {
            string verb = (string)cmdlet.ConstructorArguments[0].Value!;
            string noun = (string)cmdlet.ConstructorArguments[1].Value!;
            T Named<T>(CustomAttributeData a, string name, T fallback) => a.NamedArguments.Where(n => n.MemberName == name).Select(n => (T)n.TypedValue.Value!).DefaultIfEmpty(fallback).First();

            var outputs = type.GetCustomAttributesData().Where(a => a.AttributeType.Name == "OutputTypeAttribute")
                .SelectMany(a => a.ConstructorArguments.SelectMany(Flatten)).Select(v => v is Type t ? t.FullName! : v!.ToString()!).ToList();
            var aliases = type.GetCustomAttributesData().Where(a => a.AttributeType.Name == "AliasAttribute")
                .SelectMany(a => a.ConstructorArguments.SelectMany(Flatten)).Select(v => (string)v!).ToList();

            var parameters = new List<DeclaredParameter>();
            foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var attributes = property.GetCustomAttributesData();
                var sets = attributes.Where(a => a.AttributeType.Name == "ParameterAttribute").Select(a =>
                {
                    int position = Named(a, "Position", int.MinValue);
                    return new ParameterInSet(Named(a, "ParameterSetName", "__AllParameterSets"), Named(a, "Mandatory", false),
                        position == int.MinValue ? null : position, Named(a, "ValueFromPipeline", false), Named(a, "ValueFromPipelineByPropertyName", false));
                }).ToList();
                if (sets.Count == 0)
                {
                    continue;
                }

                var parameterAliases = attributes.Where(a => a.AttributeType.Name == "AliasAttribute").SelectMany(a => a.ConstructorArguments.SelectMany(Flatten)).Select(v => (string)v!).ToList();
                var validateSet = attributes.Where(a => a.AttributeType.Name == "ValidateSetAttribute").SelectMany(a => a.ConstructorArguments.SelectMany(Flatten)).Select(v => (string)v!).ToList();
                bool wildcards = attributes.Any(a => a.AttributeType.Name == "SupportsWildcardsAttribute");
                string? completer = attributes.Where(a => a.AttributeType.Name == "ArgumentCompleterAttribute")
                    .Select(a => a.ConstructorArguments[0].Value is Type t ? t.Name : null).FirstOrDefault();
                IReadOnlyList<object?>? range = attributes.Where(a => a.AttributeType.Name == "ValidateRangeAttribute").Select(a => a.ConstructorArguments.Select(c => c.Value).ToList()).FirstOrDefault();
                parameters.Add(new DeclaredParameter(property.Name, TypeName(property.PropertyType), parameterAliases, sets, validateSet, wildcards, completer, range));
            }

            string impact = cmdlet.NamedArguments.Where(n => n.MemberName == "ConfirmImpact").Select(n => new[] { "None", "Low", "Medium", "High" }[(int)n.TypedValue.Value!]).DefaultIfEmpty("Medium").First();
            return new DeclaredCmdlet($"{verb}-{noun}", verb, type.FullName!, Named<string?>(cmdlet, "DefaultParameterSetName", null),
                Named(cmdlet, "SupportsShouldProcess", false), impact, outputs, aliases, parameters);
        }

        private static IEnumerable<object?> Flatten(CustomAttributeTypedArgument argument) =>
            argument.Value is IEnumerable<CustomAttributeTypedArgument> items ? items.Select(i => i.Value) : new[] { argument.Value };

        private static string TypeName(Type type)
        {
            if (type.IsArray)
            {
                return TypeName(type.GetElementType()!) + "[]";
            }

            if (type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1")
            {
                return TypeName(type.GetGenericArguments()[0]); // platyPS shows Nullable<T> as T.
            }

            return type.Name;
        }
    }
}
