using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentState.Runs
{
    /// <summary>Which runs to list: ids (with * ? [] wildcards), states, results, and a time since which they changed.</summary>
    public sealed class RunQuery
    {
        /// <summary>Id patterns; any one matching is enough. Empty means every run.</summary>
        public IList<string> Ids { get; set; } = new List<string>();

        /// <summary>States (queued, running, succeeded, failed, cancelled, interrupted); empty means any.</summary>
        public IList<string> States { get; set; } = new List<string>();

        /// <summary>Results (passed, failed_build ...); empty means any.</summary>
        public IList<string> Results { get; set; } = new List<string>();

        /// <summary>Only runs created or updated at or after this time.</summary>
        public DateTimeOffset? Since { get; set; }

        /// <summary>True when an id pattern has a wildcard.</summary>
        public static bool HasWildcard(string pattern) => pattern.IndexOfAny(new[] { '*', '?', '[' }) >= 0;

        internal bool MatchesId(string id) => Ids.Count == 0 || Ids.Any(p => IdPattern.Matches(p, id));

        internal bool Matches(RunRecord record)
        {
            if (States.Count > 0 && !States.Any(s => string.Equals(s, record.DisplayState, StringComparison.OrdinalIgnoreCase)
                || (RunStates.TryParse(s, out RunState wanted) && !record.Interrupted && record.State == wanted)))
            {
                return false;
            }

            if (Results.Count > 0 && !Results.Any(r => string.Equals(r, record.Result, StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }

            if (Since is DateTimeOffset since)
            {
                DateTimeOffset? changed = record.UpdatedAt ?? record.CompletedAt ?? record.CreatedAt;
                if (changed == null || changed.Value < since)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>PowerShell's wildcards for ids (* ? [a-z], ` escapes), ignoring case as PowerShell does.</summary>
    public static class IdPattern
    {
        /// <summary>True when <paramref name="id"/> matches <paramref name="pattern"/>.</summary>
        public static bool Matches(string pattern, string id) => ToRegex(pattern).IsMatch(id);

        private static Regex ToRegex(string pattern)
        {
            var regex = new StringBuilder("^");
            for (int i = 0; i < pattern.Length; i++)
            {
                char c = pattern[i];
                switch (c)
                {
                    case '`' when i + 1 < pattern.Length:
                        regex.Append(Regex.Escape(pattern[++i].ToString()));
                        break;
                    case '*':
                        regex.Append(".*");
                        break;
                    case '?':
                        regex.Append('.');
                        break;
                    case '[':
                        int close = pattern.IndexOf(']', i + 1);
                        if (close < 0)
                        {
                            regex.Append("\\[");
                            break;
                        }

                        string set = pattern.Substring(i + 1, close - i - 1).Replace("\\", "\\\\").Replace("^", "\\^");
                        regex.Append('[').Append(set).Append(']');
                        i = close;
                        break;
                    default:
                        regex.Append(Regex.Escape(c.ToString()));
                        break;
                }
            }

            return new Regex(regex.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }
    }
}
