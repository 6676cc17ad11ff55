using System.Collections.Generic;
using System.IO;
using System.Linq;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Contract
{
    /// <summary>Every cmdlet has a platyPS help file whose parameters are the cmdlet's own.</summary>
    public sealed class HelpContractTests
    {
        public static TheoryData<string> CmdletNames()
        {
            var data = new TheoryData<string>();
            foreach (DeclaredCmdlet cmdlet in CmdletContract.Cmdlets)
            {
                data.Add(cmdlet.Name);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(CmdletNames))]
        public void The_help_file_exists_with_synopsis_description_and_three_examples(string name)
        {
            HelpFile help = Open(name);

            Assert.Contains("# " + name, help.Text);
            Assert.NotEqual(string.Empty, help.Section("SYNOPSIS"));
            Assert.NotEqual(string.Empty, help.Section("DESCRIPTION"));
            Assert.True(help.ExampleCount >= 3, $"{help.Path} has {help.ExampleCount} examples; at least three are required");
            Assert.Contains("Module Name: AgentState", help.Text);
        }

        [Theory]
        [MemberData(nameof(CmdletNames))]
        public void The_help_files_parameters_match_the_cmdlets(string name)
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get(name);
            var documented = Open(name).Parameters().GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.ToList());
            var expected = cmdlet.Parameters.Select(p => p.Name).ToList();
            if (cmdlet.SupportsShouldProcess)
            {
                expected.AddRange(new[] { "WhatIf", "Confirm" });
            }

            Assert.Equal(expected.OrderBy(n => n), documented.Keys.OrderBy(n => n));
            foreach (DeclaredParameter parameter in cmdlet.Parameters)
            {
                string where = $"{name} -{parameter.Name}";
                var documentedSets = documented[parameter.Name].SelectMany(h => h.Sets).OrderBy(s => s).ToList();
                Assert.True(SetsOf(parameter).SequenceEqual(documentedSets), $"{where}: help says sets {string.Join(", ", documentedSets)}, the cmdlet {string.Join(", ", SetsOf(parameter))}");
                foreach (HelpParameter help in documented[parameter.Name])
                {
                    // Each yaml block speaks for the sets it names.
                    DeclaredParameter part = parameter with { Sets = parameter.Sets.Where(s => help.Sets.Contains(s.Set == "__AllParameterSets" ? "(All)" : s.Set)).ToList() };
                    Assert.True(parameter.TypeName == help.Type, $"{where}: help says type {help.Type}, the cmdlet {parameter.TypeName}");
                    Assert.True(Required(part) == help.Required, $"{where}: help says Required {help.Required}, the cmdlet {Required(part)}");
                    Assert.True(Position(part) == help.Position, $"{where}: help says Position {help.Position}, the cmdlet {Position(part)}");
                    Assert.True(Pipeline(part) == help.PipelineInput, $"{where}: help says pipeline input {help.PipelineInput}, the cmdlet {Pipeline(part)}");
                    Assert.True((parameter.SupportsWildcards ? "True" : "False") == help.Wildcards, $"{where}: help says wildcards {help.Wildcards}, the cmdlet {parameter.SupportsWildcards}");
                    Assert.True(string.Join(", ", parameter.Aliases) == help.Aliases, $"{where}: help says aliases '{help.Aliases}', the cmdlet '{string.Join(", ", parameter.Aliases)}'");
                }
            }
        }

        private static HelpFile Open(string name)
        {
            string path = Path.Combine(RepoPaths.Root, "docs", "help", name + ".md");
            Assert.True(File.Exists(path), $"{name} has no help file at {path}");
            return new HelpFile(path);
        }

        private static IEnumerable<string> SetsOf(DeclaredParameter p) =>
            p.Sets.Select(s => s.Set == "__AllParameterSets" ? "(All)" : s.Set).OrderBy(s => s);

        private static string Required(DeclaredParameter p)
        {
            var mandatory = p.Sets.Where(s => s.Mandatory).Select(s => s.Set).ToList();
            var optional = p.Sets.Where(s => !s.Mandatory).Select(s => s.Set).ToList();
            if (optional.Count == 0)
            {
                return "True";
            }

            return mandatory.Count == 0 ? "False" : $"True ({string.Join(", ", mandatory)}) False ({string.Join(", ", optional)})";
        }

        private static string Position(DeclaredParameter p)
        {
            var positions = p.Sets.Select(s => s.Position).Distinct().ToList();
            Assert.True(positions.Count == 1, $"-{p.Name} has different positions in the sets of one yaml block; give each position its own block");
            return positions[0]?.ToString() ?? "Named";
        }

        private static string Pipeline(DeclaredParameter p)
        {
            var kinds = new List<string>();
            if (p.Sets.Any(s => s.FromPipelineByPropertyName))
            {
                kinds.Add("ByPropertyName");
            }

            if (p.Sets.Any(s => s.FromPipeline))
            {
                kinds.Add("ByValue");
            }

            return kinds.Count == 0 ? "False" : $"True ({string.Join(", ", kinds)})";
        }
    }
}
