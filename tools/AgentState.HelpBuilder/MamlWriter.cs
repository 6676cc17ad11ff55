using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AgentState.HelpBuilder
{
    /// <summary>Writes commands' help as MAML, in the shape platyPS gives it, which is what Get-Help reads.</summary>
    public static class MamlWriter
    {
        private static readonly XNamespace Msh = "http://msh";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        private static readonly XNamespace MSHelp = "http://msdn.microsoft.com/mshelp";

        public static XDocument Write(IEnumerable<CommandHelp> commands) =>
            new XDocument(
                new XDeclaration("1.0", "utf-8", null),
                new XElement(Msh + "helpItems",
                    new XAttribute("schema", "maml"),
                    new XAttribute(XNamespace.Xmlns + "maml", Maml),
                    new XAttribute(XNamespace.Xmlns + "command", Command),
                    new XAttribute(XNamespace.Xmlns + "dev", Dev),
                    new XAttribute(XNamespace.Xmlns + "MSHelp", MSHelp),
                    commands.Select(WriteCommand)));

        private static XElement WriteCommand(CommandHelp help)
        {
            int dash = help.Name.IndexOf('-');
            return new XElement(Command + "command",
                new XElement(Command + "details",
                    new XElement(Command + "name", help.Name),
                    new XElement(Command + "verb", dash < 0 ? help.Name : help.Name.Substring(0, dash)),
                    new XElement(Command + "noun", dash < 0 ? string.Empty : help.Name.Substring(dash + 1)),
                    Description(help.Synopsis)),
                Description(help.Description),
                new XElement(Command + "syntax", help.Syntax.Select(set => SyntaxItem(help, set))),
                new XElement(Command + "parameters", help.Parameters.Select(Parameter)),
                new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeEntry(Command + "inputType", t))),
                new XElement(Command + "returnValues", help.Outputs.Select(t => TypeEntry(Command + "returnValue", t))),
                new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(help.Notes))),
                new XElement(Command + "examples", help.Examples.Select(Example)),
                new XElement(Command + "relatedLinks", help.Links.Select(link =>
                    new XElement(Maml + "navigationLink",
                        new XElement(Maml + "linkText", link.Text),
                        new XElement(Maml + "uri", link.Uri)))));
        }

        private static XElement SyntaxItem(CommandHelp help, SyntaxSet set)
        {
            // The syntax line's order first, then anything the line left out that the yaml blocks put in this set.
            var inSet = help.Parameters.Where(p => p.Blocks.Any(b => b.AppliesTo(set.Name))).ToList();
            var ordered = set.ParameterOrder.Select(n => inSet.FirstOrDefault(p => p.Name == n)).OfType<ParameterHelp>()
                .Concat(inSet.Where(p => !set.ParameterOrder.Contains(p.Name)));
            return new XElement(Command + "syntaxItem",
                new XElement(Maml + "name", help.Name),
                ordered.Select(p =>
                {
                    ParameterFacts facts = p.Blocks.First(b => b.AppliesTo(set.Name));
                    return ParameterElement(p, facts.Type, RequiredIn(facts, set.Name), facts.Position, facts.PipelineInput,
                        facts.Aliases, facts.AcceptedValues, facts.DefaultValue, facts.Wildcards, inSyntax: true);
                }));
        }

        /// <summary>The parameter across all its sets: required only when required in every one.</summary>
        private static XElement Parameter(ParameterHelp p)
        {
            ParameterFacts first = p.Blocks[0];
            bool required = p.Blocks.All(b => b.Required.Equals("True", StringComparison.OrdinalIgnoreCase));
            return ParameterElement(p, first.Type, required, first.Position, PipelineAcrossSets(p.Blocks),
                first.Aliases, p.Blocks.SelectMany(b => b.AcceptedValues).Distinct().ToList(), first.DefaultValue, first.Wildcards, inSyntax: false);
        }

        private static XElement ParameterElement(ParameterHelp p, string type, bool required, string position, string pipelineInput,
            IReadOnlyList<string> aliases, IReadOnlyList<string> acceptedValues, string defaultValue, bool wildcards, bool inSyntax)
        {
            bool isSwitch = type is "SwitchParameter" or "switch";
            return new XElement(Command + "parameter",
                new XAttribute("required", Bool(required)),
                new XAttribute("variableLength", Bool(type.EndsWith("[]", StringComparison.Ordinal))),
                new XAttribute("globbing", Bool(wildcards)),
                new XAttribute("pipelineInput", pipelineInput),
                new XAttribute("position", position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : position),
                new XAttribute("aliases", aliases.Count == 0 ? "none" : string.Join(", ", aliases)),
                new XElement(Maml + "name", p.Name),
                Description(p.Description),
                acceptedValues.Count == 0 ? null : new XElement(Command + "parameterValueGroup", acceptedValues.Select(v =>
                    new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))),
                // A switch takes no value: Get-Help shows [-Force], not [-Force <SwitchParameter>].
                isSwitch && inSyntax ? null : new XElement(Command + "parameterValue", new XAttribute("required", Bool(!isSwitch)), new XAttribute("variableLength", "false"), type),
                new XElement(Dev + "type", new XElement(Maml + "name", type), new XElement(Maml + "uri")),
                new XElement(Dev + "defaultValue", defaultValue));
        }

        private static XElement Example(ExampleHelp example)
        {
            var content = new List<object> { new XElement(Maml + "title", "--------- " + example.Title + " ---------") };
            if (example.Introduction.Count > 0)
            {
                content.Add(new XElement(Maml + "introduction", Paras(example.Introduction)));
            }

            content.Add(new XElement(Dev + "code", example.Code));
            // The empty para ends the remarks with a blank line, so that Get-Help does not run the next title into them.
            content.Add(new XElement(Dev + "remarks", Paras(example.Remarks), new XElement(Maml + "para")));
            return new XElement(Command + "example", content);
        }

        private static XElement TypeEntry(XName name, TypeHelp type) =>
            new XElement(name,
                new XElement(Dev + "type", new XElement(Maml + "name", type.TypeName)),
                Description(type.Description));

        private static XElement Description(IReadOnlyList<string> paragraphs) => new XElement(Maml + "description", Paras(paragraphs));

        private static IEnumerable<XElement> Paras(IReadOnlyList<string> paragraphs) => paragraphs.Select(p => new XElement(Maml + "para", p));

        /// <summary>Required in one set: "True", "False", or platyPS's "True (A, B) False (C)".</summary>
        private static bool RequiredIn(ParameterFacts facts, string set)
        {
            Match mixed = Regex.Match(facts.Required, @"^True \(([^)]*)\)");
            if (mixed.Success)
            {
                return mixed.Groups[1].Value.Split(',').Select(s => s.Trim()).Contains(set);
            }

            return facts.Required.Equals("True", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>Every way the parameter takes pipeline input in any of its sets.</summary>
        private static string PipelineAcrossSets(IReadOnlyList<ParameterFacts> blocks)
        {
            var kinds = new[] { "ByPropertyName", "ByValue" }.Where(k => blocks.Any(b => b.PipelineInput.Contains(k, StringComparison.Ordinal))).ToList();
            return kinds.Count == 0 ? "False" : $"True ({string.Join(", ", kinds)})";
        }

        private static string Bool(bool value) => value ? "true" : "false";
    }
}
