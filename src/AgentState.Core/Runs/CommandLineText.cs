using System.Collections.Generic;
using System.Diagnostics;
using System.Text;

namespace AgentState.Runs
{
    /// <summary>
    /// Puts arguments into a ProcessStartInfo one by one: its ArgumentList where the runtime has one (found by
    /// reflection: netstandard2.0 does not declare it), else one command line quoted by the Windows C runtime's rules,
    /// which is how .NET Framework passes them.
    /// </summary>
    internal static class CommandLineText
    {
        public static void AddArguments(ProcessStartInfo info, IEnumerable<string> arguments)
        {
            if (typeof(ProcessStartInfo).GetProperty("ArgumentList")?.GetValue(info) is ICollection<string> list)
            {
                foreach (string argument in arguments)
                {
                    list.Add(argument);
                }

                return;
            }

            var line = new StringBuilder();
            foreach (string argument in arguments)
            {
                if (line.Length > 0)
                {
                    line.Append(' ');
                }

                Quote(argument, line);
            }

            info.Arguments = line.ToString();
        }

        /// <summary>Quotes one argument so that CommandLineToArgvW reads it back unchanged.</summary>
        public static void Quote(string argument, StringBuilder line)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"' }) < 0)
            {
                line.Append(argument);
                return;
            }

            line.Append('"');
            int backslashes = 0;
            foreach (char c in argument)
            {
                if (c == '\\')
                {
                    backslashes++;
                    continue;
                }

                if (c == '"')
                {
                    line.Append('\\', backslashes * 2 + 1);
                }
                else
                {
                    line.Append('\\', backslashes);
                }

                backslashes = 0;
                line.Append(c);
            }

            line.Append('\\', backslashes * 2).Append('"');
        }
    }
}
