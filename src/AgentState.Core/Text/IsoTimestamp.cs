using System;
using System.Globalization;

namespace AgentState.Text
{
    /// <summary>
    /// The one way this module writes and reads a point in time: ISO 8601 with milliseconds and the offset,
    /// <c>2025-01-02T03:04:05.123+02:00</c>. A <see cref="DateTimeOffset"/> keeps its offset; a <see cref="DateTime"/>
    /// of kind Utc is written at +00:00, and one of kind Local or Unspecified as local time, the way the seed's
    /// timestamps without an offset are read.
    /// </summary>
    public static class IsoTimestamp
    {
        /// <summary>The format string: milliseconds and the offset, always.</summary>
        public const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.fffzzz";

        /// <summary>The text of <paramref name="time"/>, in its own offset.</summary>
        public static string Format(DateTimeOffset time) => time.ToString(Pattern, CultureInfo.InvariantCulture);

        /// <summary>The text of <paramref name="time"/>: UTC at +00:00, anything else as local time.</summary>
        public static string Format(DateTime time) => Format(ToOffset(time));

        /// <summary>A DateTime as a point in time: UTC stays UTC; Local and Unspecified are local time.</summary>
        public static DateTimeOffset ToOffset(DateTime time) =>
            time.Kind == DateTimeKind.Utc ? new DateTimeOffset(time, TimeSpan.Zero) : new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Local));

        /// <summary>
        /// Reads an ISO 8601 timestamp (a date, optionally a time, optionally an offset or Z); one without an offset is
        /// local time. Null for null or text that is not such a timestamp.
        /// </summary>
        public static DateTimeOffset? Parse(string? text)
        {
            if (string.IsNullOrWhiteSpace(text) || !char.IsDigit(text![0]))
            {
                return null; // Not '01/02/2025', 'now' or other text that the lenient parser would accept.
            }

            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal | DateTimeStyles.AllowWhiteSpaces, out DateTimeOffset time)
                && text.IndexOf('-') == 4
                ? time
                : (DateTimeOffset?)null;
        }
    }
}
