using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using AgentState.Loading;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Loading
{
    /// <summary>
    /// PowerShell 7's half of dependency isolation without PowerShell: the engine loaded through the module's
    /// load context from a copy of the built module's Dependencies/, beside a YamlDotNet 11 (the fixture module's,
    /// as powershell-yaml bundles it) in another context, each side with its own YamlDotNet, both parsing YAML.
    /// </summary>
    public sealed class EngineLoadContextTests : IDisposable
    {
        private const string FrontMatterText = "---\nphase: 01-foundation\nplan: 01\ntags: [python, jsonl]\n---\n# Summary\n";

        private readonly TestFolder _folder = new TestFolder();

        public EngineLoadContextTests()
        {
            // A copy, so that nothing holds the built module's files open (Windows could not rebuild them).
            foreach (string dll in Directory.GetFiles(RepoPaths.ModuleDependencies, "*.dll"))
            {
                File.Copy(dll, _folder.File(Path.GetFileName(dll)));
            }
        }

        public void Dispose() => _folder.Dispose();

        [Theory]
        [InlineData("engine first")]
        [InlineData("YamlDotNet 11 first")]
        public void The_engine_and_a_YamlDotNet_11_module_each_get_their_own_YamlDotNet_in_either_order(string order)
        {
            EngineLoadContext engineContext = NewEngineContext();
            var otherModule = new AssemblyLoadContext("YamlDotNet11Module " + order, isCollectible: true);
            Assembly engine;
            Assembly yaml11;
            if (order == "engine first")
            {
                engine = engineContext.LoadEngine();
                Assert.Null(FrontMatterError(engine));
                yaml11 = otherModule.LoadFromAssemblyPath(Path.Combine(RepoPaths.YamlDotNet11Module, "YamlDotNet.dll"));
            }
            else
            {
                yaml11 = otherModule.LoadFromAssemblyPath(Path.Combine(RepoPaths.YamlDotNet11Module, "YamlDotNet.dll"));
                Assert.Equal(1, MappingSize(yaml11, "a: 1"));
                engine = engineContext.LoadEngine();
            }

            Assert.Same(engineContext, AssemblyLoadContext.GetLoadContext(engine));
            Assert.Equal(_folder.File("AgentState.Core.dll"), engine.Location);
            Assert.Equal(new[] { "phase", "plan", "tags" }, FrontMatterKeys(engine));
            Assembly engineYaml = engineContext.Assemblies.Single(a => a.GetName().Name == "YamlDotNet");
            Assert.Equal(new Version(16, 0, 0, 0), engineYaml.GetName().Version);
            Assert.Equal(_folder.File("YamlDotNet.dll"), engineYaml.Location);

            Assert.Equal(new Version(11, 0, 0, 0), yaml11.GetName().Version);
            Assert.Equal(2, MappingSize(yaml11, "a: 1\nb: two"));
            Assert.Same(otherModule, AssemblyLoadContext.GetLoadContext(yaml11));
            Assert.DoesNotContain(otherModule.Assemblies, a => a.GetName().Name == "AgentState.Core");
            otherModule.Unload();
        }

        [Fact]
        public void The_engine_context_takes_what_the_platform_supplies_from_the_default_context()
        {
            // Dependencies/ carries System.Text.Json for Windows PowerShell; on .NET the platform's copy is used,
            // so that the engine and the cmdlets (in the default context) see the same JSON types.
            Assert.True(File.Exists(_folder.File("System.Text.Json.dll")));
            EngineLoadContext engineContext = NewEngineContext();

            Assembly json = engineContext.LoadFromAssemblyName(new AssemblyName("System.Text.Json"));

            Assert.Same(typeof(System.Text.Json.JsonSerializer).Assembly, json);
            Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(json));
        }

        [Fact]
        public void The_platform_names_are_the_trusted_platform_assemblies()
        {
            ISet<string> names = PlatformAssemblies.Names();

            Assert.Contains("System.Private.CoreLib", names);
            Assert.Contains("System.Text.Json", names);
            Assert.Contains("SYSTEM.TEXT.JSON", names);
        }

        [Fact]
        public void The_bridge_hands_the_default_context_the_engine_and_no_other_name()
        {
            EngineLoadContext engineContext = NewEngineContext();

            Assembly? engine = EngineBridge.Resolve(engineContext, new AssemblyName("AgentState.Core, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null"));

            Assert.NotNull(engine);
            Assert.Same(engineContext.LoadEngine(), engine);
            foreach (string name in new[] { "YamlDotNet", "System.Text.Json", "Microsoft.Bcl.AsyncInterfaces", "AgentState.Cmdlets", "Newtonsoft.Json" })
            {
                Assert.Null(EngineBridge.Resolve(engineContext, new AssemblyName(name)));
            }
        }

        // What pwsh's TRUSTED_PLATFORM_ASSEMBLIES holds: the shared framework. The test host's own list also names
        // the test's references (AgentState.Core, YamlDotNet), which pwsh's never does.
        private EngineLoadContext NewEngineContext()
        {
            string framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var platform = new HashSet<string>(Directory.GetFiles(framework, "*.dll").Select(f => Path.GetFileNameWithoutExtension(f)), StringComparer.OrdinalIgnoreCase);
            Assert.DoesNotContain("YamlDotNet", platform);
            return new EngineLoadContext(_folder.Path, platform);
        }

        private static object ParseFrontMatter(Assembly engine) =>
            engine.GetType("AgentState.History.FrontMatter", throwOnError: true)!.GetMethod("Parse")!.Invoke(null, new object[] { FrontMatterText })!;

        private static string? FrontMatterError(Assembly engine)
        {
            object parsed = ParseFrontMatter(engine);
            return (string?)parsed.GetType().GetProperty("Error")!.GetValue(parsed);
        }

        private static IEnumerable<string> FrontMatterKeys(Assembly engine)
        {
            object parsed = ParseFrontMatter(engine);
            Assert.Null(parsed.GetType().GetProperty("Error")!.GetValue(parsed));
            var fields = (IEnumerable<KeyValuePair<string, object?>>)parsed.GetType().GetProperty("Fields")!.GetValue(parsed)!;
            return fields.Select(f => f.Key).ToList();
        }

        // YamlDotNet's own representation model, present in 11 and 16 alike: load a stream, count the root mapping.
        private static int MappingSize(Assembly yamlDotNet, string yaml)
        {
            Type streamType = yamlDotNet.GetType("YamlDotNet.RepresentationModel.YamlStream", throwOnError: true)!;
            object stream = Activator.CreateInstance(streamType)!;
            streamType.GetMethod("Load", new[] { typeof(TextReader) })!.Invoke(stream, new object[] { new StringReader(yaml) });
            var documents = (System.Collections.IList)streamType.GetProperty("Documents")!.GetValue(stream)!;
            object root = documents[0]!.GetType().GetProperty("RootNode")!.GetValue(documents[0])!;
            Assert.Equal("YamlMappingNode", root.GetType().Name);
            return ((System.Collections.IEnumerable)root.GetType().GetProperty("Children")!.GetValue(root)!).Cast<object>().Count();
        }
    }
}
