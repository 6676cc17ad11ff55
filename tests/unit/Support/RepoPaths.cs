using System.Linq;
using System.Reflection;

namespace AgentState.Tests.Support
{
    /// <summary>Where the build put things, as the test project's build recorded it.</summary>
    public static class RepoPaths
    {
        public static string Root { get; } = Metadata("RepoRoot");

        public static string CliAssembly { get; } = Metadata("CliAssembly");

        public static string ModuleFolder { get; } = System.IO.Path.Combine(Root, "out", "AgentState");

        /// <summary>Where the module's engine and its dependencies are: only the module's loader loads them.</summary>
        public static string ModuleDependencies { get; } = System.IO.Path.Combine(ModuleFolder, "Dependencies");

        /// <summary>The test fixture module built against YamlDotNet 11, with its YamlDotNet.dll beside it.</summary>
        public static string YamlDotNet11Module { get; } = Metadata("YamlDotNet11Module");

        /// <summary>The fixture program that is one client process of a PostgreSQL agent store.</summary>
        public static string StoreUpdateClient { get; } = Metadata("StoreUpdateClient");

        private static string Metadata(string key) =>
            typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
    }
}
