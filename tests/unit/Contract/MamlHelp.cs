using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace AgentState.Tests.Contract
{
    /// <summary>A parameter as a MAML help file describes it, in a syntax item or in the parameters list.</summary>
    public sealed record MamlParameter(string Name, string Description, string Type, bool Required, string Position, string PipelineInput, string Aliases, bool Globbing, IReadOnlyList<string> AcceptedValues);

    /// <summary>An example as Get-Help will print it.</summary>
    public sealed record MamlExample(string Title, string Code, string Remarks);

    /// <summary>One command of the module's MAML help file (en-US/AgentState.Cmdlets.dll-Help.xml).</summary>
    public sealed class MamlCommand
    {
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        private readonly XElement _command;

        private MamlCommand(XElement command) => _command = command;

        public string Name => _command.Element(Command + "details")!.Element(Command + "name")!.Value;

        public string Synopsis => Paras(_command.Element(Command + "details")!.Element(Maml + "description"));

        public string Description => Paras(_command.Element(Maml + "description"));

        public IReadOnlyList<IReadOnlyList<MamlParameter>> SyntaxItems =>
            _command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").Select(i => (IReadOnlyList<MamlParameter>)i.Elements(Command + "parameter").Select(Parameter).ToList()).ToList();

        public IReadOnlyList<MamlParameter> Parameters => _command.Element(Command + "parameters")!.Elements(Command + "parameter").Select(Parameter).ToList();

        public IReadOnlyList<MamlExample> Examples => _command.Element(Command + "examples")!.Elements(Command + "example")
            .Select(e => new MamlExample(e.Element(Maml + "title")?.Value ?? string.Empty, e.Element(Dev + "code")?.Value ?? string.Empty, Paras(e.Element(Dev + "remarks")))).ToList();

        public static IReadOnlyList<MamlCommand> Load(string path) =>
            XDocument.Load(path).Root!.Elements(Command + "command").Select(c => new MamlCommand(c)).ToList();

        private static MamlParameter Parameter(XElement p) => new MamlParameter(
            p.Element(Maml + "name")!.Value,
            Paras(p.Element(Maml + "description")),
            p.Element(Dev + "type")!.Element(Maml + "name")!.Value,
            (string)p.Attribute("required")! == "true",
            (string)p.Attribute("position")!,
            (string)p.Attribute("pipelineInput")!,
            (string)p.Attribute("aliases")!,
            (string)p.Attribute("globbing")! == "true",
            p.Element(Command + "parameterValueGroup")?.Elements(Command + "parameterValue").Select(v => v.Value).ToList() ?? new List<string>());

        private static string Paras(XElement? parent) =>
            parent == null ? string.Empty : string.Join("\n", parent.Elements(Maml + "para").Select(p => p.Value)).Trim();
    }
}
