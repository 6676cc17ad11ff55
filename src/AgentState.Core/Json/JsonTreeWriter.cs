using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace AgentState.Json
{
    /// <summary>
    /// Writes plain values back as JSON in the layout of the document they were read from: its indent (or
    /// none), its spacing after colons and commas, its line endings and final newline; members in their
    /// order; unchanged numbers in their exact original text; every character of a string as itself except
    /// what JSON requires escaped.
    /// </summary>
    /// <remarks>
    /// Written by hand because System.Text.Json's writer escapes characters outside the Basic Multilingual
    /// Plane and does not indent raw values inside arrays; both would change files a round trip must keep.
    /// </remarks>
    public static class JsonTreeWriter
    {
        /// <summary>
        /// Serialises <paramref name="root"/>. With <paramref name="layoutOf"/>, its layout and number texts are
        /// kept; without, the result is indented by two spaces with a final newline.
        /// </summary>
        /// <param name="root">The value to write.</param>
        /// <param name="layoutOf">The document whose layout and number texts to keep.</param>
        /// <param name="maxDepth">The deepest nesting allowed; deeper is an error, never a silent cut.</param>
        /// <exception cref="JsonTreeException">A value has no JSON form (a NaN, an arbitrary object) or nests too deep; the message gives its path.</exception>
        public static byte[] Write(object? root, JsonTree? layoutOf = null, int maxDepth = JsonTreeReader.MaxDepth)
        {
            if (maxDepth < 1 || maxDepth > JsonTreeReader.MaxDepth)
            {
                throw new ArgumentOutOfRangeException(nameof(maxDepth), maxDepth, $"The depth must be from 1 to {JsonTreeReader.MaxDepth}.");
            }

            JsonTree layout = layoutOf ?? JsonTree.CreateEmptyObject();
            var writer = new TextWriter(layout, maxDepth);
            writer.Value(root, 0);
            if (layout.FinalNewline)
            {
                writer.NewLine();
            }

            return Encoding.UTF8.GetBytes(writer.ToString());
        }

        /// <summary>One value on one line (no indentation), followed by '\n': a line of a JSONL stream.</summary>
        public static byte[] WriteLine(object? value)
        {
            var writer = new TextWriter(CompactLayout, JsonTreeReader.MaxDepth);
            writer.Value(value, 0);
            writer.NewLine();
            return Encoding.UTF8.GetBytes(writer.ToString());
        }

        private static readonly JsonTree CompactLayout = JsonTreeReader.Read("{}");

        private sealed class TextWriter
        {
            private readonly StringBuilder _text = new StringBuilder();

            // Where the writer is, as segments (a member name or an index): a path string is built only when one
            // is needed (a number's original text, an error), not for every value written.
            private readonly List<object> _segments = new List<object>();
            private readonly JsonTree _layout;
            private readonly int _maxDepth;
            private readonly string _newline;
            private readonly string _colon;
            private readonly string _comma;

            public TextWriter(JsonTree layout, int maxDepth)
            {
                _layout = layout;
                _maxDepth = maxDepth;
                _newline = layout.UsesCrLf ? "\r\n" : "\n";
                _colon = layout.SpaceAfterColon ? ": " : ":";
                _comma = layout.Indent == null && layout.SpaceAfterColon ? ", " : ",";
            }

            public override string ToString() => _text.ToString();

            public void NewLine() => _text.Append(_newline);

            private string Path()
            {
                string path = JsonPathText.Root;
                foreach (object segment in _segments)
                {
                    path = segment is int index ? JsonPathText.Element(path, index) : JsonPathText.Member(path, (string)segment);
                }

                return path;
            }

            public void Value(object? value, int depth)
            {
                if (depth > _maxDepth)
                {
                    string at = Path();
                    throw new JsonTreeException($"The value at {at} nests deeper than {_maxDepth} levels; nothing was written.", at);
                }

                switch (value)
                {
                    case null:
                        _text.Append("null");
                        return;
                    case string s:
                        JsonStringText.AppendQuoted(_text, s);
                        return;
                    case char c:
                        _text.Append(JsonStringText.Quote(c.ToString()));
                        return;
                    case bool b:
                        _text.Append(b ? "true" : "false");
                        return;
                    case OrderedJsonObject obj:
                        Members(obj, depth);
                        return;
                    case DateTime time:
                        _text.Append(JsonStringText.Quote(AgentState.Text.IsoTimestamp.Format(time)));
                        return;
                    case DateTimeOffset time:
                        _text.Append(JsonStringText.Quote(AgentState.Text.IsoTimestamp.Format(time)));
                        return;
                    case Guid guid:
                        _text.Append(JsonStringText.Quote(guid.ToString()));
                        return;
                    case Uri uri:
                        _text.Append(JsonStringText.Quote(uri.OriginalString));
                        return;
                    case Enum e:
                        _text.Append(JsonStringText.Quote(e.ToString()));
                        return;
                    case IDictionary dictionary:
                        Members(OrderedJsonObject.FromDictionary(dictionary, v => v), depth);
                        return;
                }

                if (IsNumber(value))
                {
                    _text.Append(NumberText(value));
                    return;
                }

                if (value is IEnumerable items)
                {
                    Elements(items, depth);
                    return;
                }

                string where = Path();
                throw new JsonTreeException(
                    $"The value at {where} is a {value.GetType().FullName}, which has no JSON form here; use a string, number, boolean, array, hashtable or object of those.", where);
            }

            private void Members(OrderedJsonObject obj, int depth)
            {
                if (obj.Count == 0)
                {
                    _text.Append("{}");
                    return;
                }

                _text.Append('{');
                bool first = true;
                foreach (KeyValuePair<string, object?> member in obj)
                {
                    Separate(ref first, depth + 1);
                    JsonStringText.AppendQuoted(_text, member.Key).Append(_colon);
                    _segments.Add(member.Key);
                    Value(member.Value, depth + 1);
                    _segments.RemoveAt(_segments.Count - 1);
                }

                Close(depth, '}');
            }

            private void Elements(IEnumerable items, int depth)
            {
                int index = 0;
                bool first = true;
                foreach (object? item in items)
                {
                    if (first)
                    {
                        _text.Append('[');
                    }

                    Separate(ref first, depth + 1);
                    _segments.Add(index++);
                    Value(item, depth + 1);
                    _segments.RemoveAt(_segments.Count - 1);
                }

                if (first)
                {
                    _text.Append("[]");
                    return;
                }

                Close(depth, ']');
            }

            private void Separate(ref bool first, int depth)
            {
                if (!first)
                {
                    _text.Append(_comma);
                }

                first = false;
                if (_layout.Indent != null)
                {
                    _text.Append(_newline);
                    Indent(depth);
                }
            }

            private void Close(int depth, char bracket)
            {
                if (_layout.Indent != null)
                {
                    _text.Append(_newline);
                    Indent(depth);
                }

                _text.Append(bracket);
            }

            private void Indent(int depth)
            {
                for (int i = 0; i < depth; i++)
                {
                    _text.Append(_layout.Indent);
                }
            }

            private string NumberText(object value)
            {
                if (_layout.Numbers.Count > 0 && _layout.Numbers.TryGetValue(Path(), out JsonTree.NumberText original) && original.Value.Equals(value))
                {
                    return original.Text;
                }

                switch (value)
                {
                    case double d when double.IsNaN(d) || double.IsInfinity(d):
                    case float f when float.IsNaN(f) || float.IsInfinity(f):
                        string at = Path();
                        throw new JsonTreeException($"The number at {at} is {value}, which JSON cannot represent.", at);
                    case double d:
                        return Shortest(d);
                    case float f:
                        return Shortest(f);
                    case decimal m:
                        return m.ToString(CultureInfo.InvariantCulture);
                    case BigInteger big:
                        return big.ToString(CultureInfo.InvariantCulture);
                    default:
                        return Convert.ToString(value, CultureInfo.InvariantCulture)!;
                }
            }

            private static string Shortest(double value)
            {
                // "R" is the shortest text that reads back as the same double on .NET Core; older .NET may need 17 digits.
                string text = value.ToString("R", CultureInfo.InvariantCulture);
                if (double.Parse(text, CultureInfo.InvariantCulture) != value)
                {
                    text = value.ToString("G17", CultureInfo.InvariantCulture);
                }

                return text;
            }

            private static bool IsNumber(object value) =>
                value is long || value is int || value is short || value is sbyte || value is byte || value is ushort || value is uint || value is ulong
                || value is double || value is float || value is decimal || value is BigInteger;
        }
    }
}
