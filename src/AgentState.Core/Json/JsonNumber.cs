using System;
using System.Globalization;
using System.Numerics;

namespace AgentState.Json
{
    /// <summary>
    /// Every .NET number as one of the four the JSON model holds, exactly: integers as long (BigInteger beyond
    /// its range), decimal as decimal, double as double (a float by its shortest text, so 1.1f is 1.1, not
    /// 1.100000023841858). Nothing is rounded and nothing overflows.
    /// </summary>
    public static class JsonNumber
    {
        /// <summary>True when <paramref name="value"/> is a .NET number; <paramref name="number"/> is then its JSON model value.</summary>
        public static bool TryNormalize(object? value, out object number)
        {
            switch (value)
            {
                case long l: number = l; return true;
                case int i: number = (long)i; return true;
                case short s: number = (long)s; return true;
                case sbyte sb: number = (long)sb; return true;
                case byte b: number = (long)b; return true;
                case ushort us: number = (long)us; return true;
                case uint ui: number = (long)ui; return true;
                case ulong ul: number = ul <= long.MaxValue ? (object)(long)ul : new BigInteger(ul); return true;
                case BigInteger big: number = big >= long.MinValue && big <= long.MaxValue ? (object)(long)big : big; return true;
                case decimal m: number = m; return true;
                case double d: number = d; return true;
                case float f: number = double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture); return true;
                default: number = 0L; return false;
            }
        }

        /// <summary>True for a whole number of the JSON model (long or BigInteger).</summary>
        public static bool IsInteger(object? value) => value is long || value is int || value is BigInteger;

        /// <summary>True for any number of the JSON model.</summary>
        public static bool IsNumber(object? value) => IsInteger(value) || value is decimal || value is double;

        /// <summary>A whole number of the JSON model as a BigInteger; false for anything else.</summary>
        public static bool TryGetInteger(object? value, out BigInteger integer)
        {
            switch (value)
            {
                case long l: integer = l; return true;
                case int i: integer = i; return true;
                case BigInteger big: integer = big; return true;
                default: integer = BigInteger.Zero; return false;
            }
        }

        /// <summary>A BigInteger as the narrowest JSON model integer: long when it fits.</summary>
        public static object Narrow(BigInteger value) => value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;
    }
}
