using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using AgentState.Text;

namespace AgentState.Json
{
    /// <summary>
    /// Turns the values a caller holds into the engine's JSON values, by one set of rules for every front end:
    /// dictionaries (a Hashtable's keys sorted, an ordered one's kept) and <see cref="OrderedJsonObject"/> to
    /// objects; any other enumerable but a string to an array; every .NET number exactly (see
    /// <see cref="JsonNumber"/>); enums by name; DateTime and DateTimeOffset as <see cref="IsoTimestamp"/> text;
    /// a TimeSpan as its seconds (the module's durations are seconds); Guid and Uri as text. Anything else is a
    /// <see cref="JsonTreeException"/> that names the value's JSON path and type, raised before anything is written.
    /// </summary>
    public sealed class JsonValueConverter
    {
        private readonly Func<object, object?>? _adapt;

        /// <summary>A converter for plain .NET values.</summary>
        public JsonValueConverter()
        {
        }

        /// <summary>
        /// A converter that first passes every non-null value through <paramref name="adapt"/>, so that a front end can
        /// unwrap its own wrappers (PowerShell's PSObject) or turn its own objects into an <see cref="OrderedJsonObject"/>
        /// of unconverted member values.
        /// </summary>
        public JsonValueConverter(Func<object, object?> adapt)
        {
            _adapt = adapt ?? throw new ArgumentNullException(nameof(adapt));
        }

        /// <summary>The JSON value of <paramref name="value"/>, whose place in the document is <paramref name="path"/>.</summary>
        /// <exception cref="JsonTreeException">A value has no JSON form, is a NaN or an infinity, or nests deeper than <see cref="JsonTreeReader.MaxDepth"/>.</exception>
        public object? Convert(object? value, string path = JsonPathText.Root) => Convert(value, path, 0);

        /// <summary>
        /// The JSON object of <paramref name="value"/>: a dictionary, an object with members, or the text of a JSON object
        /// (what a CSV cell or a command line holds). Null and empty text are no object (null): an empty CSV cell is an
        /// absent value. Anything else is an error naming <paramref name="path"/>.
        /// </summary>
        /// <exception cref="JsonTreeException">The value is not an object, or a member has no JSON form.</exception>
        public OrderedJsonObject? ConvertObject(object? value, string path)
        {
            object? converted = Convert(value, path, 0);
            if (converted is string text)
            {
                converted = string.IsNullOrWhiteSpace(text) ? null : ReadObjectText(text, path);
            }

            if (converted == null || converted is OrderedJsonObject)
            {
                return (OrderedJsonObject?)converted;
            }

            throw new JsonTreeException($"The value at {path} must be an object (a hashtable, an object with properties, or the text of a JSON object), not {Describe(converted)}.", path);
        }

        private object? Convert(object? value, string path, int depth)
        {
            if (depth > JsonTreeReader.MaxDepth)
            {
                throw new JsonTreeException($"The value at {path} nests deeper than {JsonTreeReader.MaxDepth} levels (does it contain itself?).", path);
            }

            if (value != null && _adapt != null)
            {
                value = _adapt(value);
            }

            switch (value)
            {
                case null:
                    return null;
                case string s:
                    return s;
                case char c:
                    return c.ToString();
                case bool b:
                    return b;
                case Enum e:
                    return e.ToString();
                case DateTime time:
                    return IsoTimestamp.Format(time);
                case DateTimeOffset time:
                    return IsoTimestamp.Format(time);
                case TimeSpan span:
                    return span.Ticks % TimeSpan.TicksPerSecond == 0 ? (object)(span.Ticks / TimeSpan.TicksPerSecond) : span.Ticks / (decimal)TimeSpan.TicksPerSecond;
                case Guid guid:
                    return guid.ToString();
                case Uri uri:
                    return uri.OriginalString;
                case OrderedJsonObject obj:
                    var members = new OrderedJsonObject();
                    foreach (KeyValuePair<string, object?> member in obj)
                    {
                        members[member.Key] = Convert(member.Value, JsonPathText.Member(path, member.Key), depth + 1);
                    }

                    return members;
                case IDictionary dictionary:
                    var keyed = new OrderedJsonObject();
                    foreach (KeyValuePair<string, object?> member in OrderedJsonObject.FromDictionary(dictionary, v => v))
                    {
                        keyed[member.Key] = Convert(member.Value, JsonPathText.Member(path, member.Key), depth + 1);
                    }

                    return keyed;
            }

            if (JsonNumber.TryNormalize(value, out object number))
            {
                if (number is double d && (double.IsNaN(d) || double.IsInfinity(d)))
                {
                    throw new JsonTreeException($"The number at {path} is {d.ToString(CultureInfo.InvariantCulture)}, which JSON cannot represent.", path);
                }

                return number;
            }

            if (value is IEnumerable items)
            {
                var list = new List<object?>();
                foreach (object? item in items)
                {
                    list.Add(Convert(item, JsonPathText.Element(path, list.Count), depth + 1));
                }

                return list;
            }

            throw new JsonTreeException(
                $"The value at {path} is a {value.GetType().FullName}, which has no JSON form; use a string, number, boolean, date, array, hashtable or object of those.", path);
        }

        private static object ReadObjectText(string text, string path)
        {
            try
            {
                return JsonTreeReader.Read(System.Text.Encoding.UTF8.GetBytes(text)).Root as OrderedJsonObject ?? (object)text;
            }
            catch (JsonTreeException)
            {
                return text; // Not JSON: refused below as the string it is.
            }
        }

        private static string Describe(object value) => value switch
        {
            string s => "the string '" + s + "'",
            List<object?> _ => "an array",
            _ => "the value " + System.Convert.ToString(value, CultureInfo.InvariantCulture),
        };
    }
}
