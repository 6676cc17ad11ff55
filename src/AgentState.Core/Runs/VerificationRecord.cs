using System;
using System.Collections.Generic;
using System.Linq;
using AgentState.Json;

namespace AgentState.Runs
{
    /// <summary>
    /// <c>verification-&lt;n&gt;.json</c>: the verifier's report kept as it was given, with <c>passed</c> and
    /// <c>failingChecks</c> added when they could be read from it (and were not there already).
    /// </summary>
    public sealed class VerificationRecord : RunDocument
    {
        internal VerificationRecord(string path, OrderedJsonObject fields, JsonTree? source)
            : base(path, fields, source)
        {
        }

        /// <summary>The iteration.</summary>
        public int Iteration => Int("iteration") ?? RunFiles.IterationOf(Path, "verification-", ".json") ?? 0;

        /// <summary>passed: true, false, or null when the report does not say.</summary>
        public bool? Passed => Bool(VerificationReading.PassedField);

        /// <summary>The names of the checks that failed.</summary>
        public IReadOnlyList<string> FailingChecks =>
            (JsonFields.Array(Fields, VerificationReading.FailingChecksField) ?? new List<object?>()).Select(VerificationReading.CheckName).Where(n => n != null).Select(n => n!).ToList();

        /// <summary>savedAt.</summary>
        public DateTimeOffset? SavedAt => Time("savedAt");

        /// <inheritdoc />
        public override string ToString() => $"{RunId} verification-{Iteration} ({(Passed == null ? "unknown" : Passed.Value ? "passed" : "failed")})";
    }
}
