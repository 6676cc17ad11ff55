using System;
using System.Globalization;

namespace AgentState.Text
{
    /// <summary>
    /// A time span in words for messages a person reads ("3 days and 4 hours", "1.5 seconds"), never the
    /// <c>d.hh:mm:ss</c> form, which reads like a version number or a clock time.
    /// </summary>
    public static class DurationText
    {
        /// <summary>The span in its two largest units, rounded down; negative spans are described by their length.</summary>
        public static string Describe(TimeSpan span)
        {
            if (span < TimeSpan.Zero)
            {
                span = span.Negate();
            }

            if (span.TotalSeconds < 1)
            {
                return Count((long)span.TotalMilliseconds, "millisecond");
            }

            if (span.TotalMinutes < 1)
            {
                double seconds = Math.Floor(span.TotalSeconds * 10) / 10;
                return seconds.ToString("0.#", CultureInfo.InvariantCulture) + (seconds == 1 ? " second" : " seconds");
            }

            if (span.TotalHours < 1)
            {
                return Pair(span.Minutes, "minute", span.Seconds, "second");
            }

            if (span.TotalDays < 1)
            {
                return Pair(span.Hours, "hour", span.Minutes, "minute");
            }

            return Pair((long)span.TotalDays, "day", span.Hours, "hour");
        }

        private static string Pair(long major, string majorUnit, long minor, string minorUnit) =>
            minor == 0 ? Count(major, majorUnit) : Count(major, majorUnit) + " and " + Count(minor, minorUnit);

        private static string Count(long n, string unit) =>
            n.ToString(CultureInfo.InvariantCulture) + " " + unit + (n == 1 ? string.Empty : "s");
    }
}
