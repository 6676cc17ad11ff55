using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Contract
{
    /// <summary>The module as PowerShell would import it: manifest, exports, verbs, dependencies.</summary>
    public sealed class ModuleContractTests
    {
        private static readonly ModuleManifest Source = new ModuleManifest(Path.Combine(RepoPaths.Root, "module", "AgentState.psd1"));
        private static readonly ModuleManifest Built = new ModuleManifest(Path.Combine(RepoPaths.ModuleFolder, "AgentState.psd1"));

        // Verbs that only read: every other cmdlet changes something and must support -WhatIf and -Confirm.
        private static readonly string[] ReadOnlyVerbs = { "Get", "Watch" };

        [Fact]
        public void The_module_has_cmdlets()
        {
            Assert.Contains(CmdletContract.Cmdlets, c => c.Name == "Write-AtomicFile");
        }

        [Fact]
        public void Every_cmdlet_uses_an_approved_verb_so_Import_Module_stays_silent()
        {
            var unapproved = CmdletContract.Cmdlets.Where(c => !CmdletContract.ApprovedVerbs.Contains(c.Verb)).Select(c => c.Name).ToList();

            Assert.True(unapproved.Count == 0, "unapproved verbs: " + string.Join(", ", unapproved));
            Assert.Contains("Write", CmdletContract.ApprovedVerbs);
            Assert.DoesNotContain("Rebuild", CmdletContract.ApprovedVerbs);
        }

        [Fact]
        public void Every_cmdlet_class_is_named_for_its_cmdlet_in_the_Commands_namespace()
        {
            foreach (DeclaredCmdlet cmdlet in CmdletContract.Cmdlets)
            {
                Assert.Equal("AgentState.Commands." + cmdlet.Name.Replace("-", "") + "Command", cmdlet.TypeFullName);
            }
        }

        [Fact]
        public void Every_cmdlet_that_changes_files_supports_WhatIf_and_Confirm()
        {
            foreach (DeclaredCmdlet cmdlet in CmdletContract.Cmdlets.Where(c => !ReadOnlyVerbs.Contains(c.Verb)))
            {
                Assert.True(cmdlet.SupportsShouldProcess, cmdlet.Name + " changes files but does not support ShouldProcess");
            }
        }

        [Fact]
        public void Every_cmdlet_declares_its_output_type()
        {
            foreach (DeclaredCmdlet cmdlet in CmdletContract.Cmdlets)
            {
                Assert.True(cmdlet.OutputTypes.Count > 0, cmdlet.Name + " has no [OutputType]");
            }
        }

        [Theory]
        [MemberData(nameof(Manifests))]
        public void The_manifest_exports_exactly_the_assemblys_cmdlets_and_aliases(string which)
        {
            ModuleManifest manifest = which == "source" ? Source : Built;

            Assert.Equal(CmdletContract.Cmdlets.Select(c => c.Name).OrderBy(n => n), manifest.List("CmdletsToExport").OrderBy(n => n));
            Assert.Equal(CmdletContract.Cmdlets.SelectMany(c => c.Aliases).OrderBy(n => n), manifest.List("AliasesToExport").OrderBy(n => n));
            Assert.True(manifest.HasKey("FunctionsToExport"), "FunctionsToExport must be stated, as @()");
            Assert.Empty(manifest.List("FunctionsToExport"));
            foreach (string key in new[] { "CmdletsToExport", "AliasesToExport", "FunctionsToExport", "VariablesToExport" })
            {
                Assert.DoesNotContain("*", manifest.List(key));
            }
        }

        public static TheoryData<string> Manifests => new TheoryData<string> { "source", "built" };

        [Fact]
        public void The_built_manifest_carries_the_solutions_one_version_number()
        {
            string props = File.ReadAllText(Path.Combine(RepoPaths.Root, "Directory.Build.props"));
            string version = Regex.Match(props, "<Version>([^<]+)</Version>").Groups[1].Value;
            AssemblyName cmdlets = AssemblyName.GetAssemblyName(Path.Combine(RepoPaths.ModuleFolder, "AgentState.Cmdlets.dll"));

            Assert.Equal(version, Built.Scalar("ModuleVersion"));
            Assert.Equal(version, Source.Scalar("ModuleVersion"));
            Assert.Equal(new Version(version), new Version(cmdlets.Version!.Major, cmdlets.Version.Minor, cmdlets.Version.Build));
        }

        [Fact]
        public void The_manifest_declares_what_the_gallery_and_both_editions_need()
        {
            Assert.Equal("AgentState.Cmdlets.dll", Built.Scalar("RootModule"));
            Assert.Equal("5.1", Built.Scalar("PowerShellVersion"));
            Assert.Equal(new[] { "Core", "Desktop" }, Built.List("CompatiblePSEditions").OrderBy(e => e));
            Assert.True(Guid.TryParse(Built.Scalar("GUID"), out _));
            foreach (string key in new[] { "Tags", "ProjectUri", "LicenseUri", "ReleaseNotes", "Description", "Author" })
            {
                Assert.True(Built.HasKey(key), "the manifest lacks " + key);
            }

            foreach (string format in Built.List("FormatsToProcess"))
            {
                Assert.True(File.Exists(Path.Combine(RepoPaths.ModuleFolder, format)), format + " is listed but not in the module folder");
            }

            Assert.NotEmpty(Built.List("FormatsToProcess"));
        }

        [Fact]
        public void The_module_folder_carries_every_assembly_Windows_PowerShell_cannot_supply()
        {
            // What netstandard2.0 promises is there on .NET Framework 4.7.2+ (and so in Windows PowerShell 5.1).
            string netstandardRef = Path.Combine(NuGetRoot(), "netstandard.library", "2.0.3", "build", "netstandard2.0", "ref");
            var framework = new HashSet<string>(Directory.GetFiles(netstandardRef, "*.dll").Select(Path.GetFileNameWithoutExtension)!, StringComparer.OrdinalIgnoreCase)
            {
                "System.Management.Automation", "mscorlib", "netstandard",
            };
            // Windows PowerShell loads the root's assemblies except the load context, which only PowerShell 7 loads.
            var loaded = Directory.GetFiles(RepoPaths.ModuleFolder, "*.dll")
                .Where(f => !string.Equals(Path.GetFileName(f), "AgentState.LoadContext.dll", StringComparison.OrdinalIgnoreCase))
                .Concat(Directory.GetFiles(RepoPaths.ModuleDependencies, "*.dll")).ToList();
            var shipped = loaded.Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.OrdinalIgnoreCase);

            var missing = new List<string>();
            foreach (string dll in loaded)
            {
                foreach (AssemblyName reference in CmdletContract.References(dll))
                {
                    if (!framework.Contains(reference.Name!) && !shipped.Contains(reference.Name!))
                    {
                        missing.Add($"{Path.GetFileName(dll)} needs {reference.Name}");
                    }
                }
            }

            Assert.True(missing.Count == 0, string.Join("; ", missing));
            Assert.DoesNotContain("System.Management.Automation", shipped);
            Assert.Contains("System.Text.Json", shipped);
        }

        [Fact]
        public void The_loader_is_imported_before_the_cmdlets_and_the_engine_sits_where_PowerShell_does_not_probe()
        {
            // PowerShell imports NestedModules in order before the RootModule; the cmdlets assembly needs the
            // engine as soon as PowerShell reflects over it, so the loader must already have run.
            foreach (ModuleManifest manifest in new[] { Source, Built })
            {
                Assert.Equal("AgentState.Loader.dll", manifest.List("NestedModules").FirstOrDefault());
                Assert.Equal("AgentState.Cmdlets.dll", manifest.Scalar("RootModule"));
            }

            var root = Directory.GetFiles(RepoPaths.ModuleFolder, "*.dll").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(new[] { "AgentState.Cmdlets.dll", "AgentState.LoadContext.dll", "AgentState.Loader.dll" }, root);
            var dependencies = Directory.GetFiles(RepoPaths.ModuleDependencies, "*.dll").Select(Path.GetFileName).ToList();
            foreach (string dll in new[] { "AgentState.Core.dll", "YamlDotNet.dll", "System.Text.Json.dll" })
            {
                Assert.Contains(dll, dependencies);
            }

            // The cmdlets reach the engine and nothing else of Dependencies/ (the PowerShell 7 bridge answers only that name).
            var fromDependencies = CmdletContract.References(Path.Combine(RepoPaths.ModuleFolder, "AgentState.Cmdlets.dll"))
                .Select(r => r.Name!).Where(n => dependencies.Contains(n + ".dll")).ToList();
            Assert.Equal(new[] { "AgentState.Core" }, fromDependencies);
        }

        [Fact]
        public void The_module_folder_holds_only_what_the_build_lays_out()
        {
            var folders = Directory.GetDirectories(RepoPaths.ModuleFolder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(new[] { "Dependencies", "en-US" }, folders);
            // Besides the assemblies: the manifest and module/*.ps1xml, nothing an older build left behind.
            var expected = Directory.GetFiles(Path.Combine(RepoPaths.Root, "module"), "*.ps1xml").Select(Path.GetFileName).Append("AgentState.psd1");
            var rootFiles = Directory.GetFiles(RepoPaths.ModuleFolder).Select(Path.GetFileName).Where(n => !n!.EndsWith(".dll", StringComparison.Ordinal));
            Assert.Equal(expected.OrderBy(n => n, StringComparer.Ordinal), rootFiles.OrderBy(n => n, StringComparer.Ordinal));
            Assert.Empty(Directory.GetDirectories(RepoPaths.ModuleDependencies));
            Assert.All(Directory.GetFiles(RepoPaths.ModuleDependencies), f => Assert.EndsWith(".dll", f));
        }

        private static string NuGetRoot() =>
            Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } root ? root : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    }
}
