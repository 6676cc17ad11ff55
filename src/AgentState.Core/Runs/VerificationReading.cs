using System;
using System.Collections.Generic;
using System.Linq;
using AgentState.Json;

namespace AgentState.Runs
{
    /// <summary>
    /// Reads passed/failed and the failing checks out of whatever a verifier reported: a top-level passed/success,
    /// and every object in it with a name (or id) whose passed is false or whose status says failed.
    /// </summary>
    internal static class VerificationReading
    {
        public const string PassedField = "passed";
        public const string FailingChecksField = "failingChecks";

        private static readonly string[] FailedWords = { "failed", "fail", "failure", "error", "errored" };

        public static bool? ReadPassed(OrderedJsonObject report)
        {
            foreach (string key in new[] { "passed", "success", "ok" })
            {
                if (JsonFields.Bool(report, key) is bool given)
                {
                    return given;
                }
            }

            string? status = JsonFields.Text(report, "status") ?? JsonFields.Text(report, "result");
            if (status != null)
            {
                if (FailedWords.Contains(status, StringComparer.OrdinalIgnoreCase))
                {
                    return false;
                }

                if (new[] { "passed", "pass", "success", "ok" }.Contains(status, StringComparer.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return null;
        }

        /// <summary>The failing checks, depth first, each once, in the order met.</summary>
        public static List<string> FindFailingChecks(OrderedJsonObject report) => FindFailingChecks(report, out _);

        /// <summary>The failing checks; <paramref name="checks"/> is how many named checks with a verdict there are in all.</summary>
        public static List<string> FindFailingChecks(OrderedJsonObject report, out int checks)
        {
            var found = new List<string>();
            var all = new List<string>();
            Walk(report, found, all, 0, top: true);
            checks = all.Count;
            return found.Distinct(StringComparer.Ordinal).ToList();
        }

        public static string? CheckName(object? value) => value is string s ? s : value is OrderedJsonObject o ? Name(o) : null;

        private static void Walk(object? value, List<string> found, List<string> all, int depth, bool top)
        {
            if (depth > 64)
            {
                return;
            }

            if (value is OrderedJsonObject obj)
            {
                if (!top && Name(obj) is string name && Verdict(obj) is bool failed)
                {
                    all.Add(name);
                    if (failed)
                    {
                        found.Add(name);
                    }
                }

                foreach (KeyValuePair<string, object?> member in obj)
                {
                    Walk(member.Value, found, all, depth + 1, top: false);
                }
            }
            else if (value is List<object?> list)
            {
                foreach (object? item in list)
                {
                    Walk(item, found, all, depth + 1, top: false);
                }
            }
        }

        private static string? Name(OrderedJsonObject obj) => JsonFields.Text(obj, "name") ?? JsonFields.Text(obj, "id") ?? JsonFields.Text(obj, "check");

        /// <summary>True when the check failed, false when it passed, null when it does not say.</summary>
        private static bool? Verdict(OrderedJsonObject obj)
        {
            if (JsonFields.Bool(obj, "passed") is bool passed)
            {
                return !passed;
            }

            if (JsonFields.Bool(obj, "success") is bool success)
            {
                return !success;
            }

            string? status = JsonFields.Text(obj, "status") ?? JsonFields.Text(obj, "result");
            if (status == null)
            {
                return null;
            }

            return FailedWords.Contains(status, StringComparer.OrdinalIgnoreCase);
        }
    }
}
