using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;

namespace AgentState.HelpBuilder
{
    /// <summary>
    /// docs/help/*.md (platyPS markdown) to the MAML files Get-Help reads, with no PowerShell: the build runs it
    /// after the cmdlets, so that a module folder from `dotnet build` has its help.
    /// Usage: AgentState.HelpBuilder &lt;markdown folder&gt; &lt;output folder, e.g. out/AgentState/en-US&gt;
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length != 2)
            {
                Console.Error.WriteLine("usage: AgentState.HelpBuilder <markdown folder> <output folder>");
                return 2;
            }

            try
            {
                var commands = Directory.GetFiles(args[0], "*.md").OrderBy(f => f, StringComparer.Ordinal).Select(CommandHelpReader.Read).ToList();
                Directory.CreateDirectory(args[1]);
                foreach (var file in commands.GroupBy(c => c.ExternalHelpFile))
                {
                    if (file.Key.Length == 0)
                    {
                        throw new InvalidDataException($"{file.First().Name}: no 'external help file:' in the front matter");
                    }

                    string path = Path.Combine(args[1], file.Key);
                    var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
                    using (XmlWriter writer = XmlWriter.Create(path, settings))
                    {
                        MamlWriter.Write(file).Save(writer);
                    }

                    Console.WriteLine($"{path}: help for {file.Count()} commands");
                }

                return 0;
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 1;
            }
        }
    }
}
