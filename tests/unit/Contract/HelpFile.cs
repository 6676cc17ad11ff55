using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace AgentState.Tests.Contract
{
    /// <summary>A parameter as a platyPS help file describes it.</summary>
    public sealed record HelpParameter(string Name, string Type, IReadOnlyList<string> Sets, string Required, string Position, string PipelineInput, string Aliases, string Wildcards);

    /// <summary>Reads a platyPS markdown help file (docs/help/&lt;cmdlet&gt;.md).</summary>
    public sealed class HelpFile
    {
        public HelpFile(string path)
        {
            Path = path;
            Text = File.ReadAllText(path).Replace("\r\n", "\n");
        }

        public string Path { get; }

        public string Text { get; }

        public int ExampleCount => Regex.Matches(Text, @"(?m)^### Example \d+").Count;

        public string Section(string heading)
        {
            Match m = Regex.Match(Text, @"(?ms)^## " + Regex.Escape(heading) + @"\n(.*?)(?=^## |\z)");
            return m.Success ? m.Groups[1].Value.Trim() : string.Empty;
        }

        public IReadOnlyList<HelpParameter> Parameters()
        {
            string section = Section("PARAMETERS");
            var result = new List<HelpParameter>();
            foreach (Match block in Regex.Matches(section, @"(?ms)^### -(\w+)\n(.*?)(?=^### |\z)"))
            {
                // Like platyPS, a parameter whose position or pipeline input differs between sets has one yaml block per kind of set.
                foreach (Match yaml in Regex.Matches(block.Groups[2].Value, @"(?s)```yaml\n(.*?)```"))
                {
                    var fields = yaml.Groups[1].Value.Split('\n').Where(l => l.Contains(':'))
                        .ToDictionary(l => l.Substring(0, l.IndexOf(':')).Trim(), l => l.Substring(l.IndexOf(':') + 1).Trim());
                    string Field(string key) => fields.TryGetValue(key, out string? v) ? v : "<missing>";
                    result.Add(new HelpParameter(block.Groups[1].Value, Field("Type"),
                        Field("Parameter Sets").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                        Field("Required"), Field("Position"), Field("Accept pipeline input"), Field("Aliases"), Field("Accept wildcard characters")));
                }
            }

            return result;
        }
    }
}
