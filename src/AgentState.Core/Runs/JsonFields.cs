using System;
using System.Collections.Generic;
using System.Numerics;
using AgentState.Json;
using AgentState.Text;

namespace AgentState.Runs
{
    /// <summary>Typed reads of a JSON object's members that never throw: a missing or mistyped member reads as null.</summary>
    internal static class JsonFields
    {
        public static object? Value(OrderedJsonObject json, string key) => json.ContainsKey(key) ? json[key] : null;

        public static string? Text(OrderedJsonObject json, string key) => Value(json, key) as string;

        public static bool? Bool(OrderedJsonObject json, string key) => Value(json, key) is bool b ? b : (bool?)null;

        public static DateTimeOffset? Time(OrderedJsonObject json, string key) => IsoTimestamp.Parse(Text(json, key));

        public static OrderedJsonObject? Object(OrderedJsonObject json, string key) => Value(json, key) as OrderedJsonObject;

        public static List<object?>? Array(OrderedJsonObject json, string key) => Value(json, key) as List<object?>;

        public static double? Number(OrderedJsonObject json, string key) => Number(Value(json, key));

        public static double? Number(object? value)
        {
            switch (value)
            {
                case long l: return l;
                case int i: return i;
                case decimal m: return (double)m;
                case double d: return d;
                case BigInteger b: return (double)b;
                default: return null;
            }
        }

        public static long? Long(OrderedJsonObject json, string key) =>
            Number(json, key) is double d && d == Math.Floor(d) && d >= long.MinValue && d <= long.MaxValue ? (long)d : (long?)null;

        public static int? Int(OrderedJsonObject json, string key) =>
            Long(json, key) is long l && l >= int.MinValue && l <= int.MaxValue ? (int)l : (int?)null;

        /// <summary>Sets <paramref name="key"/>, or leaves the object as it was when <paramref name="value"/> is null.</summary>
        public static void SetIfGiven(OrderedJsonObject json, string key, object? value)
        {
            if (value != null)
            {
                json[key] = value;
            }
        }
    }
}
