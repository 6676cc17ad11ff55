using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace AgentState.HelpBuilder
{
    /// <summary>
    /// Reads a platyPS markdown help file (schema 2.0.0) into a CommandHelp. Text keeps its markdown as
    /// written, one paragraph per para, because that is what Get-Help prints and what platyPS keeps too.
    /// </summary>
    public static class CommandHelpReader
    {
        private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

        public static CommandHelp Read(string path)
        {
            string text = File.ReadAllText(path).Replace("\r\n", "\n");
            MarkdownDocument document = Markdown.Parse(text, Pipeline);
            var source = new Source(text, path);

            string? name = null;
            string externalHelpFile = string.Empty;
            var sections = new Dictionary<string, List<Subsection>>(StringComparer.OrdinalIgnoreCase);
            List<Subsection>? section = null;
            foreach (Block block in document)
            {
                switch (block)
                {
                    case YamlFrontMatterBlock front:
                        externalHelpFile = FrontMatterValue(source.Slice(front), "external help file");
                        break;
                    case HeadingBlock { Level: 1 } h1:
                        name = source.HeadingText(h1);
                        break;
                    case HeadingBlock { Level: 2 } h2:
                        section = new List<Subsection> { new Subsection(string.Empty) };
                        sections[source.HeadingText(h2)] = section;
                        break;
                    case HeadingBlock { Level: 3 } h3 when section != null:
                        section.Add(new Subsection(source.HeadingText(h3)));
                        break;
                    default:
                        if (section == null)
                        {
                            throw source.Error(block, "text before the first ## section");
                        }

                        section[section.Count - 1].Blocks.Add(block);
                        break;
                }
            }

            if (name == null)
            {
                throw new InvalidDataException($"{path}: no '# <command name>' heading");
            }

            IReadOnlyList<Subsection> Section(string heading) => sections.TryGetValue(heading, out var s) ? s : new List<Subsection>();
            IReadOnlyList<Subsection> Titled(string heading) => Section(heading).Where(s => s.Title.Length > 0).ToList();
            IReadOnlyList<string> Body(string heading) => Section(heading).SelectMany(s => source.Paragraphs(s.Blocks)).ToList();

            return new CommandHelp(
                name,
                externalHelpFile,
                Body("SYNOPSIS"),
                Body("DESCRIPTION"),
                Titled("SYNTAX").Select(s => ReadSyntax(s, source)).ToList(),
                Titled("PARAMETERS").Where(s => s.Title.StartsWith("-", StringComparison.Ordinal)).Select(s => ReadParameter(s, source)).ToList(),
                Titled("INPUTS").Select(s => new TypeHelp(s.Title, source.Paragraphs(s.Blocks))).ToList(),
                Titled("OUTPUTS").Select(s => new TypeHelp(s.Title, source.Paragraphs(s.Blocks))).ToList(),
                Body("NOTES"),
                Titled("EXAMPLES").Select(s => ReadExample(s, source)).ToList(),
                Section("RELATED LINKS").SelectMany(s => s.Blocks).SelectMany(ReadLinks).ToList());
        }

        private static SyntaxSet ReadSyntax(Subsection set, Source source)
        {
            const string DefaultMarker = " (Default)";
            bool isDefault = set.Title.EndsWith(DefaultMarker, StringComparison.Ordinal);
            string name = isDefault ? set.Title.Substring(0, set.Title.Length - DefaultMarker.Length) : set.Title;
            string line = string.Join(" ", set.Blocks.OfType<FencedCodeBlock>().Select(Code));

            // A parameter is "-Name" after a space or "[": the command's own name has a dash too.
            var order = Regex.Matches(line, @"(?<=[\s\[])-(\w+)").Select(m => m.Groups[1].Value).Distinct().ToList();
            return new SyntaxSet(name, isDefault, order);
        }

        private static ParameterHelp ReadParameter(Subsection parameter, Source source)
        {
            var blocks = new List<ParameterFacts>();
            foreach (FencedCodeBlock yaml in parameter.Blocks.OfType<FencedCodeBlock>().Where(c => c.Info == "yaml"))
            {
                var fields = Code(yaml).Split('\n').Where(l => l.Contains(':'))
                    .ToDictionary(l => l.Substring(0, l.IndexOf(':')).Trim(), l => l.Substring(l.IndexOf(':') + 1).Trim(), StringComparer.OrdinalIgnoreCase);
                string Field(string key) => fields.TryGetValue(key, out string? v) ? v : throw source.Error(yaml, $"{parameter.Title} has no '{key}:'");
                string Optional(string key) => fields.TryGetValue(key, out string? v) ? v : string.Empty;
                blocks.Add(new ParameterFacts(
                    Field("Type"),
                    List(Field("Parameter Sets")),
                    List(Optional("Aliases")),
                    List(Optional("Accepted values")),
                    Field("Required"),
                    Field("Position"),
                    Optional("Default value") is { Length: > 0 } d ? d : "None",
                    Field("Accept pipeline input"),
                    string.Equals(Optional("Accept wildcard characters"), "True", StringComparison.OrdinalIgnoreCase)));
            }

            if (blocks.Count == 0)
            {
                throw new InvalidDataException($"{source.Path}: parameter {parameter.Title} has no yaml block");
            }

            var description = source.Paragraphs(parameter.Blocks.Where(b => !(b is FencedCodeBlock c && c.Info == "yaml")));
            return new ParameterHelp(parameter.Title.Substring(1), description, blocks);
        }

        private static ExampleHelp ReadExample(Subsection example, Source source)
        {
            // Text before the first code block introduces the example; text after it remarks on it.
            int firstCode = example.Blocks.FindIndex(b => b is FencedCodeBlock);
            if (firstCode < 0)
            {
                throw new InvalidDataException($"{source.Path}: example '{example.Title}' has no code");
            }

            var introduction = source.Paragraphs(example.Blocks.Take(firstCode));
            var rest = example.Blocks.Skip(firstCode).ToList();
            string code = string.Join("\n\n", rest.OfType<FencedCodeBlock>().Select(Code));
            var remarks = source.Paragraphs(rest.Where(b => b is not FencedCodeBlock));
            return new ExampleHelp(example.Title, introduction, code, remarks);
        }

        private static IEnumerable<RelatedLink> ReadLinks(Block block)
        {
            if (block is not ParagraphBlock { Inline: not null } paragraph)
            {
                return Enumerable.Empty<RelatedLink>();
            }

            return paragraph.Inline.Descendants<LinkInline>()
                .Select(link => new RelatedLink(string.Concat(link.Descendants<LiteralInline>().Select(l => l.Content.ToString())), link.Url ?? string.Empty));
        }

        /// <summary>The lines inside a fenced block, without the fences.</summary>
        private static string Code(FencedCodeBlock block) =>
            string.Join("\n", block.Lines.Lines.Take(block.Lines.Count).Select(l => l.ToString())).TrimEnd();

        private static IReadOnlyList<string> List(string value) =>
            value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        private static string FrontMatterValue(string frontMatter, string key)
        {
            Match m = Regex.Match(frontMatter, @"(?m)^" + Regex.Escape(key) + @":[ \t]*(.*)$");
            return m.Success ? m.Groups[1].Value.Trim() : string.Empty;
        }

        private sealed class Subsection
        {
            public Subsection(string title) => Title = title;

            public string Title { get; }

            public List<Block> Blocks { get; } = new List<Block>();
        }

        /// <summary>The file's text, for taking blocks as written.</summary>
        private sealed class Source
        {
            private readonly string _text;

            public Source(string text, string path)
            {
                _text = text;
                Path = path;
            }

            public string Path { get; }

            public string Slice(Block block) => _text.Substring(block.Span.Start, block.Span.Length);

            public string HeadingText(HeadingBlock heading) => Slice(heading).TrimStart('#').Trim();

            public InvalidDataException Error(Block block, string what) => new InvalidDataException($"{Path}({block.Line + 1}): {what}");

            /// <summary>
            /// One para per paragraph, its lines joined as Get-Help rewraps them; one per list item; a code
            /// block as its lines.
            /// </summary>
            public IReadOnlyList<string> Paragraphs(IEnumerable<Block> blocks)
            {
                var paragraphs = new List<string>();
                foreach (Block block in blocks)
                {
                    switch (block)
                    {
                        case FencedCodeBlock code:
                            paragraphs.Add(Code(code));
                            break;
                        case ListBlock list:
                            paragraphs.AddRange(list.OfType<ListItemBlock>().Select(item => Unwrap(Slice(item))));
                            break;
                        default:
                            paragraphs.Add(Unwrap(Slice(block)));
                            break;
                    }
                }

                return paragraphs.Where(p => p.Length > 0).ToList();
            }

            private static string Unwrap(string text) =>
                string.Join(" ", text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
        }
    }
}
