using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Contract
{
    /// <summary>
    /// The packages the build writes to out/packages: the module nupkg as PowerShellGet publishes one, the
    /// module zip and the agentstate tool, all of the solution's one version.
    /// </summary>
    public sealed class ModulePackageContractTests
    {
        private static readonly string Packages = Path.Combine(RepoPaths.Root, "out", "packages");
        private static readonly string Version = Regex.Match(File.ReadAllText(Path.Combine(RepoPaths.Root, "Directory.Build.props")), "<Version>([^<]+)</Version>").Groups[1].Value;
        private static readonly ModuleManifest Manifest = new ModuleManifest(Path.Combine(RepoPaths.ModuleFolder, "AgentState.psd1"));

        [Fact]
        public void The_module_package_holds_the_module_folder_at_its_root()
        {
            using ZipArchive package = Open($"AgentState.{Version}.nupkg");
            var entries = package.Entries.Select(e => e.FullName).ToHashSet();
            var moduleFiles = Directory.GetFiles(RepoPaths.ModuleFolder, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(RepoPaths.ModuleFolder, f).Replace('\\', '/')).ToList();

            Assert.Contains("AgentState.psd1", entries);
            Assert.Contains("AgentState.Cmdlets.dll", entries);
            Assert.Contains("AgentState.Loader.dll", entries);
            Assert.Contains("AgentState.LoadContext.dll", entries);
            Assert.Contains("Dependencies/AgentState.Core.dll", entries);
            Assert.Contains("Dependencies/YamlDotNet.dll", entries);
            Assert.Contains("en-US/AgentState.Cmdlets.dll-Help.xml", entries);
            Assert.Contains("en-US/about_AgentState.help.txt", entries);
            Assert.DoesNotContain("AgentState.Core.dll", entries);
            Assert.DoesNotContain(entries, e => e.Contains("YamlDotNet11Module", StringComparison.Ordinal));
            var extra = entries.Where(e => !moduleFiles.Contains(e) && !IsPackageMetadata(e)).ToList();
            Assert.True(extra.Count == 0, "in the package but not in the module folder: " + string.Join(", ", extra));
            var missing = moduleFiles.Where(f => !entries.Contains(f)).ToList();
            Assert.True(missing.Count == 0, "not in the package: " + string.Join(", ", missing));
            Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) || e.StartsWith("content/", StringComparison.Ordinal));
            using StreamReader packed = new StreamReader(package.GetEntry("AgentState.psd1")!.Open());
            Assert.Equal(File.ReadAllText(Manifest.Path), packed.ReadToEnd());
        }

        [Fact]
        public void The_nuspec_carries_the_manifests_metadata_and_the_gallerys_tags()
        {
            using ZipArchive package = Open($"AgentState.{Version}.nupkg");
            XElement metadata = Nuspec(package, "AgentState.nuspec");
            string Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? string.Empty;
            var tags = Field("tags").Split(' ', StringSplitOptions.RemoveEmptyEntries);

            Assert.Equal("AgentState", Field("id"));
            Assert.Equal(Manifest.Scalar("ModuleVersion"), Field("version"));
            Assert.Equal(Version, Field("version"));
            Assert.Equal(Manifest.Scalar("Description"), Field("description"));
            Assert.Equal(Manifest.Scalar("Author"), Field("authors"));
            Assert.Equal(Manifest.Scalar("ProjectUri"), Field("projectUrl"));
            Assert.Equal(Manifest.Scalar("ReleaseNotes"), Field("releaseNotes"));
            Assert.Equal("MIT", Field("license"));
            Assert.Contains("PSModule", tags);
            var missing = Manifest.List("Tags").Where(t => !tags.Contains(t)).ToList();
            Assert.True(missing.Count == 0, "manifest tags not in the nuspec: " + string.Join(", ", missing));
            foreach (string cmdlet in Manifest.List("CmdletsToExport"))
            {
                Assert.Contains("PSCmdlet_" + cmdlet, tags);
            }

            Assert.Null(metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "dependencies"));
        }

        [Fact]
        public void The_zip_holds_the_AgentState_folder_to_extract_onto_the_module_path()
        {
            using ZipArchive zip = Open($"AgentState-{Version}.zip");
            var entries = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToHashSet();

            Assert.Contains("AgentState/AgentState.psd1", entries);
            Assert.Contains("AgentState/AgentState.Cmdlets.dll", entries);
            Assert.Contains("AgentState/en-US/AgentState.Cmdlets.dll-Help.xml", entries);
            Assert.Contains("AgentState/AgentState.Loader.dll", entries);
            Assert.Contains("AgentState/Dependencies/AgentState.Core.dll", entries);
            var moduleFiles = Directory.GetFiles(RepoPaths.ModuleFolder, "*", SearchOption.AllDirectories)
                .Select(f => "AgentState/" + Path.GetRelativePath(RepoPaths.ModuleFolder, f).Replace('\\', '/')).ToHashSet();
            Assert.Equal(moduleFiles.OrderBy(e => e, StringComparer.Ordinal), entries.Where(e => !e.EndsWith("/", StringComparison.Ordinal)).OrderBy(e => e, StringComparer.Ordinal));
            Assert.All(entries, e => Assert.StartsWith("AgentState/", e));
        }

        [Fact]
        public void The_agentstate_tool_package_has_the_same_version()
        {
            using ZipArchive package = Open($"AgentState.Cli.{Version}.nupkg");
            XElement metadata = Nuspec(package, "AgentState.Cli.nuspec");
            var entries = package.Entries.Select(e => e.FullName).ToList();

            Assert.Equal(Version, metadata.Elements().Single(e => e.Name.LocalName == "version").Value);
            Assert.Contains("DotnetTool", metadata.Elements().Single(e => e.Name.LocalName == "packageTypes").ToString());
            Assert.Contains(entries, e => e.EndsWith("/agentstate.dll", StringComparison.Ordinal) && e.StartsWith("tools/net8.0/", StringComparison.Ordinal));
        }

        // What NuGet adds to every package beside the packed files.
        private static bool IsPackageMetadata(string entry) =>
            entry == "AgentState.nuspec" || entry == "[Content_Types].xml" || entry.StartsWith("_rels/", StringComparison.Ordinal) || entry.StartsWith("package/", StringComparison.Ordinal);

        private static ZipArchive Open(string name)
        {
            string path = Path.Combine(Packages, name);
            Assert.True(File.Exists(path), $"the build wrote no {path}");
            return ZipFile.OpenRead(path);
        }

        private static XElement Nuspec(ZipArchive package, string name)
        {
            ZipArchiveEntry? nuspec = package.GetEntry(name);
            Assert.True(nuspec != null, $"no {name} in the package");
            using Stream stream = nuspec!.Open();
            return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        }
    }
}
