using System.Globalization;

namespace AgentState.Json
{
    /// <summary>JSON paths as messages show them: <c>$.entries[3]['odd name']</c>.</summary>
    public static class JsonPathText
    {
        /// <summary>The document itself.</summary>
        public const string Root = "$";

        /// <summary>The path of member <paramref name="name"/> of the object at <paramref name="parent"/>.</summary>
        public static string Member(string parent, string name)
        {
            foreach (char c in name)
            {
                if (!(char.IsLetterOrDigit(c) || c == '_'))
                {
                    return parent + "['" + name.Replace("\\", "\\\\").Replace("'", "\\'") + "']";
                }
            }

            return name.Length == 0 ? parent + "['']" : parent + "." + name;
        }

        /// <summary>The path of element <paramref name="index"/> of the array at <paramref name="parent"/>.</summary>
        public static string Element(string parent, int index) => parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
    }
}
