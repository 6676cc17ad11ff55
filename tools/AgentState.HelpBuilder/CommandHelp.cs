using System.Collections.Generic;
using System.Linq;

namespace AgentState.HelpBuilder
{
    /// <summary>One cmdlet's help as a platyPS markdown file states it.</summary>
    public sealed record CommandHelp(
        string Name,
        string ExternalHelpFile,
        IReadOnlyList<string> Synopsis,
        IReadOnlyList<string> Description,
        IReadOnlyList<SyntaxSet> Syntax,
        IReadOnlyList<ParameterHelp> Parameters,
        IReadOnlyList<TypeHelp> Inputs,
        IReadOnlyList<TypeHelp> Outputs,
        IReadOnlyList<string> Notes,
        IReadOnlyList<ExampleHelp> Examples,
        IReadOnlyList<RelatedLink> Links);

    /// <summary>A parameter set named under SYNTAX, with its parameters in the order the syntax line shows them.</summary>
    public sealed record SyntaxSet(string Name, bool IsDefault, IReadOnlyList<string> ParameterOrder);

    /// <summary>A parameter: its description and one yaml block per kind of parameter set it belongs to.</summary>
    public sealed record ParameterHelp(string Name, IReadOnlyList<string> Description, IReadOnlyList<ParameterFacts> Blocks);

    /// <summary>One yaml block of a parameter: what holds in the sets it names.</summary>
    public sealed record ParameterFacts(
        string Type,
        IReadOnlyList<string> Sets,
        IReadOnlyList<string> Aliases,
        IReadOnlyList<string> AcceptedValues,
        string Required,
        string Position,
        string DefaultValue,
        string PipelineInput,
        bool Wildcards)
    {
        public bool AppliesTo(string set) => Sets.Contains("(All)") || Sets.Contains(set);
    }

    /// <summary>An input or output type and what it means.</summary>
    public sealed record TypeHelp(string TypeName, IReadOnlyList<string> Description);

    /// <summary>An example: its title, the code without fence lines, and the text around it.</summary>
    public sealed record ExampleHelp(string Title, IReadOnlyList<string> Introduction, string Code, IReadOnlyList<string> Remarks);

    /// <summary>A link under RELATED LINKS.</summary>
    public sealed record RelatedLink(string Text, string Uri);
}
