using System.Globalization;
using System.IO;

namespace AgentState.Runs
{
    /// <summary>
    /// The names of a run folder's files, in seed 001's layout so that the tools that read it still do:
    /// <c>run.json</c>, <c>agent-&lt;n&gt;.json</c>, <c>verification-&lt;n&gt;.json</c>, <c>iteration-&lt;n&gt;.json</c>,
    /// <c>events.jsonl</c>, plus the <c>agent-&lt;n&gt;.stdout.log</c> / <c>.stderr.log</c> that hold output too large to inline.
    /// </summary>
    public static class RunFiles
    {
        /// <summary>The run's own record.</summary>
        public const string Run = "run.json";

        /// <summary>The event stream.</summary>
        public const string Events = "events.jsonl";

        /// <summary>Where a torn last event line is set aside before the next append.</summary>
        public const string TornEvents = "events.jsonl.torn";

        /// <summary><c>agent-&lt;n&gt;.json</c>.</summary>
        public static string Agent(int iteration) => Numbered("agent-", iteration, ".json");

        /// <summary><c>agent-&lt;n&gt;.stdout.log</c>.</summary>
        public static string Stdout(int iteration) => Numbered("agent-", iteration, ".stdout.log");

        /// <summary><c>agent-&lt;n&gt;.stderr.log</c>.</summary>
        public static string Stderr(int iteration) => Numbered("agent-", iteration, ".stderr.log");

        /// <summary><c>verification-&lt;n&gt;.json</c>.</summary>
        public static string Verification(int iteration) => Numbered("verification-", iteration, ".json");

        /// <summary><c>iteration-&lt;n&gt;.json</c>.</summary>
        public static string Iteration(int iteration) => Numbered("iteration-", iteration, ".json");

        /// <summary>The iteration number in a file name such as <c>iteration-3.json</c>, or null.</summary>
        public static int? IterationOf(string fileName, string prefix, string suffix)
        {
            string name = Path.GetFileName(fileName);
            if (!name.StartsWith(prefix, System.StringComparison.Ordinal) || !name.EndsWith(suffix, System.StringComparison.Ordinal))
            {
                return null;
            }

            string digits = name.Substring(prefix.Length, name.Length - prefix.Length - suffix.Length);
            return digits.Length > 0 && digits[0] != '0' && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : (int?)null;
        }

        private static string Numbered(string prefix, int iteration, string suffix) =>
            prefix + RunIteration.Check(iteration).ToString(CultureInfo.InvariantCulture) + suffix;
    }

    /// <summary>The rule for iteration numbers: 1, 2, 3 ...</summary>
    public static class RunIteration
    {
        /// <summary>Throws unless <paramref name="iteration"/> is 1 or more.</summary>
        /// <exception cref="IO.InvalidInputException">It is 0 or negative.</exception>
        public static int Check(int iteration)
        {
            if (iteration < 1)
            {
                throw new IO.InvalidInputException($"An iteration number is 1 or more (it is {iteration.ToString(CultureInfo.InvariantCulture)}).", "iteration");
            }

            return iteration;
        }
    }
}
