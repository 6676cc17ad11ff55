using System;
using System.IO;
using System.Linq;
using System.Reflection;
using AgentState.Loading;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Loading
{
    /// <summary>
    /// Windows PowerShell 5.1's half of dependency isolation, which cannot run here: the rules its AssemblyResolve
    /// handler follows, read from the built module's Dependencies/. It answers only names the module ships, for a
    /// version the shipped file can stand in for, and only the module's own assemblies get an older-version stand-in.
    /// </summary>
    public sealed class ShippedAssembliesTests
    {
        private static readonly ShippedAssemblies Shipped = ShippedAssemblies.FromFolder(RepoPaths.ModuleDependencies, RepoPaths.ModuleFolder);
        private static readonly string Cmdlets = Path.Combine(RepoPaths.ModuleFolder, "AgentState.Cmdlets.dll");
        private static readonly string Engine = Path.Combine(RepoPaths.ModuleDependencies, "AgentState.Core.dll");
        private static readonly string OtherModule = Path.Combine(Path.GetTempPath(), "Modules", "powershell-yaml", "PowerShellYaml.dll");

        [Fact]
        public void It_knows_every_assembly_in_the_dependency_folder_by_name()
        {
            var files = Directory.GetFiles(RepoPaths.ModuleDependencies, "*.dll").Select(f => AssemblyName.GetAssemblyName(f).Name!);

            Assert.Equal(files.OrderBy(n => n, StringComparer.Ordinal), Shipped.Names.OrderBy(n => n, StringComparer.Ordinal));
            Assert.Contains("AgentState.Core", Shipped.Names);
            Assert.Contains("YamlDotNet", Shipped.Names);
        }

        [Fact]
        public void The_cmdlets_get_the_engine_from_the_dependency_folder()
        {
            Assert.Equal(Engine, Shipped.PathFor(Identity(Engine), Cmdlets));
        }

        [Fact]
        public void A_module_assembly_asking_for_an_older_version_gets_the_shipped_one_as_a_binding_redirect_would()
        {
            AssemblyName unsafeShipped = Identity(Path.Combine(RepoPaths.ModuleDependencies, "System.Runtime.CompilerServices.Unsafe.dll"));
            AssemblyName older = WithVersion(unsafeShipped, new Version(4, 0, 4, 1));
            string memory = Path.Combine(RepoPaths.ModuleDependencies, "System.Memory.dll");

            Assert.True(unsafeShipped.Version > older.Version);
            Assert.Equal(Path.Combine(RepoPaths.ModuleDependencies, "System.Runtime.CompilerServices.Unsafe.dll"), Shipped.PathFor(older, memory));
        }

        [Fact]
        public void A_newer_version_or_another_publishers_key_is_never_answered()
        {
            AssemblyName yaml = Identity(Path.Combine(RepoPaths.ModuleDependencies, "YamlDotNet.dll"));
            AssemblyName newer = WithVersion(yaml, new Version(yaml.Version!.Major + 1, 0, 0, 0));
            var otherKey = (AssemblyName)yaml.Clone();
            otherKey.SetPublicKeyToken(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });

            Assert.Null(Shipped.PathFor(newer, Engine));
            Assert.Null(Shipped.PathFor(otherKey, Engine));
        }

        [Fact]
        public void A_name_the_module_does_not_ship_is_never_answered()
        {
            Assert.Null(Shipped.PathFor(new AssemblyName("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed"), Cmdlets));
            Assert.Null(Shipped.PathFor(new AssemblyName("System.Management.Automation"), Cmdlets));
        }

        [Fact]
        public void Another_modules_request_is_left_alone_even_for_a_name_the_module_ships()
        {
            // powershell-yaml's YamlDotNet 11 request that its own folder did not satisfy stays unanswered:
            // giving it this module's YamlDotNet 16 would change what that module sees.
            AssemblyName yaml = Identity(Path.Combine(RepoPaths.ModuleDependencies, "YamlDotNet.dll"));

            Assert.Null(Shipped.PathFor(WithVersion(yaml, new Version(11, 0, 0, 0)), OtherModule));
            Assert.Null(Shipped.PathFor(yaml, OtherModule));
            Assert.Null(Shipped.PathFor(yaml, string.Empty));
        }

        [Fact]
        public void A_request_with_no_known_requester_gets_only_the_exact_shipped_version()
        {
            AssemblyName yaml = Identity(Path.Combine(RepoPaths.ModuleDependencies, "YamlDotNet.dll"));

            Assert.Equal(Path.Combine(RepoPaths.ModuleDependencies, "YamlDotNet.dll"), Shipped.PathFor(yaml, null));
            Assert.Null(Shipped.PathFor(WithVersion(yaml, new Version(11, 0, 0, 0)), null));
        }

        private static AssemblyName Identity(string path) => AssemblyName.GetAssemblyName(path);

        private static AssemblyName WithVersion(AssemblyName name, Version version)
        {
            var copy = (AssemblyName)name.Clone();
            copy.Version = version;
            return copy;
        }
    }
}
