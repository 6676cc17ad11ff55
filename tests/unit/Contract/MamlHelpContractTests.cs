using System.Collections.Generic;
using System.IO;
using System.Linq;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Contract
{
    /// <summary>
    /// The MAML help the build writes into the module folder, checked against the built cmdlets: what
    /// Get-Help shows is complete and says what the cmdlets really declare.
    /// </summary>
    public sealed class MamlHelpContractTests
    {
        private static readonly string HelpPath = Path.Combine(RepoPaths.ModuleFolder, "en-US", "AgentState.Cmdlets.dll-Help.xml");

        public static TheoryData<string> CmdletNames()
        {
            var data = new TheoryData<string>();
            foreach (DeclaredCmdlet cmdlet in CmdletContract.Cmdlets)
            {
                data.Add(cmdlet.Name);
            }

            return data;
        }

        [Fact]
        public void The_help_file_has_exactly_the_modules_cmdlets()
        {
            Assert.True(File.Exists(HelpPath), $"the build wrote no help at {HelpPath}");
            Assert.Equal(CmdletContract.Cmdlets.Select(c => c.Name).OrderBy(n => n), MamlCommand.Load(HelpPath).Select(c => c.Name).OrderBy(n => n));
        }

        [Fact]
        public void The_about_topic_is_beside_it_and_names_the_environment_variables()
        {
            string about = File.ReadAllText(Path.Combine(RepoPaths.ModuleFolder, "en-US", "about_AgentState.help.txt"));

            Assert.StartsWith("TOPIC", about);
            Assert.Contains("about_AgentState", about);
            foreach (string variable in new[] { "AGENTSTATE_ROOT", "AGENTSTATE_TRAJECTORIES" })
            {
                Assert.Contains(variable, about);
            }
        }

        [Theory]
        [MemberData(nameof(CmdletNames))]
        public void Synopsis_description_and_three_examples_with_clean_code(string name)
        {
            MamlCommand help = Find(name);

            Assert.NotEqual(string.Empty, help.Synopsis);
            Assert.NotEqual(string.Empty, help.Description);
            Assert.True(help.Examples.Count >= 3, $"{name} has {help.Examples.Count} examples in its MAML help");
            foreach (MamlExample example in help.Examples)
            {
                Assert.NotEqual(string.Empty, example.Title);
                Assert.NotEqual(string.Empty, example.Code.Trim());
                Assert.NotEqual(string.Empty, example.Remarks);
                Assert.DoesNotContain(example.Code.Split('\n'), line => line.TrimStart().StartsWith("```"));
            }
        }

        [Theory]
        [MemberData(nameof(CmdletNames))]
        public void Every_parameter_is_described_with_the_cmdlets_own_attributes(string name)
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get(name);
            var documented = Find(name).Parameters.ToDictionary(p => p.Name);

            Assert.Equal(Expected(cmdlet).Select(p => p.Name).OrderBy(n => n), documented.Keys.OrderBy(n => n));
            foreach (ExpectedParameter expected in Expected(cmdlet))
            {
                MamlParameter help = documented[expected.Name];
                string where = $"{name} -{expected.Name}";
                Assert.True(help.Description.Length > 0, where + " has no description");
                Assert.True(expected.Type == help.Type, $"{where}: help says type {help.Type}, the cmdlet {expected.Type}");
                Assert.True(expected.Aliases == help.Aliases, $"{where}: help says aliases {help.Aliases}, the cmdlet {expected.Aliases}");
                Assert.True(expected.Wildcards == help.Globbing, $"{where}: help says wildcards {help.Globbing}");
                Assert.True(expected.Sets.All(s => s.Mandatory) == help.Required, $"{where}: help says required {help.Required}");
                Assert.True(Pipeline(expected.Sets) == help.PipelineInput, $"{where}: help says pipeline input {help.PipelineInput}, the cmdlet {Pipeline(expected.Sets)}");
                if (expected.ValidateSet.Count > 0)
                {
                    Assert.Equal(expected.ValidateSet.OrderBy(v => v), help.AcceptedValues.OrderBy(v => v));
                }
            }
        }

        [Theory]
        [MemberData(nameof(CmdletNames))]
        public void Each_parameter_set_has_a_syntax_item_with_its_parameters_as_declared_there(string name)
        {
            DeclaredCmdlet cmdlet = CmdletContract.Get(name);
            var items = Find(name).SyntaxItems;
            var sets = cmdlet.ParameterSets.Count == 0 ? new List<string> { "__AllParameterSets" } : cmdlet.ParameterSets.ToList();

            Assert.Equal(sets.Count, items.Count);
            foreach (string set in sets)
            {
                var inSet = Expected(cmdlet).Where(p => p.Sets.Any(s => s.Set == set || s.Set == "__AllParameterSets")).ToList();
                var item = items.SingleOrDefault(i => i.Select(p => p.Name).OrderBy(n => n).SequenceEqual(inSet.Select(p => p.Name).OrderBy(n => n)));
                Assert.True(item != null, $"{name}: no syntax item has exactly the parameters of set {set}: {string.Join(", ", inSet.Select(p => p.Name))}");
                foreach (ExpectedParameter expected in inSet)
                {
                    ParameterInSet declared = expected.Sets.First(s => s.Set == set || s.Set == "__AllParameterSets");
                    MamlParameter help = item!.Single(p => p.Name == expected.Name);
                    string where = $"{name} [{set}] -{expected.Name}";
                    Assert.True(declared.Mandatory == help.Required, $"{where}: help says required {help.Required}");
                    Assert.True((declared.Position?.ToString() ?? "named") == help.Position, $"{where}: help says position {help.Position}, the cmdlet {declared.Position}");
                    Assert.True(Pipeline(new[] { declared }) == help.PipelineInput, $"{where}: help says pipeline input {help.PipelineInput}");
                }
            }
        }

        private static MamlCommand Find(string name)
        {
            Assert.True(File.Exists(HelpPath), $"the build wrote no help at {HelpPath}");
            MamlCommand? help = MamlCommand.Load(HelpPath).SingleOrDefault(c => c.Name == name);
            Assert.True(help != null, $"{name} is not in {HelpPath}");
            return help!;
        }

        /// <summary>A parameter as Get-Help should describe it, with -WhatIf and -Confirm where PowerShell adds them.</summary>
        private sealed record ExpectedParameter(string Name, string Type, string Aliases, bool Wildcards, IReadOnlyList<ParameterInSet> Sets, IReadOnlyList<string> ValidateSet);

        private static IEnumerable<ExpectedParameter> Expected(DeclaredCmdlet cmdlet)
        {
            foreach (DeclaredParameter p in cmdlet.Parameters)
            {
                yield return new ExpectedParameter(p.Name, p.TypeName, p.Aliases.Count == 0 ? "none" : string.Join(", ", p.Aliases), p.SupportsWildcards, p.Sets, p.ValidateSet);
            }

            if (cmdlet.SupportsShouldProcess)
            {
                var anySet = new[] { new ParameterInSet("__AllParameterSets", false, null, false, false) };
                yield return new ExpectedParameter("WhatIf", "SwitchParameter", "wi", false, anySet, new string[0]);
                yield return new ExpectedParameter("Confirm", "SwitchParameter", "cf", false, anySet, new string[0]);
            }
        }

        private static string Pipeline(IEnumerable<ParameterInSet> sets)
        {
            var kinds = new List<string>();
            if (sets.Any(s => s.FromPipelineByPropertyName))
            {
                kinds.Add("ByPropertyName");
            }

            if (sets.Any(s => s.FromPipeline))
            {
                kinds.Add("ByValue");
            }

            return kinds.Count == 0 ? "False" : $"True ({string.Join(", ", kinds)})";
        }
    }
}
