using System;
using System.Collections.Generic;
using System.Management.Automation;
using AgentState.Json;
using AgentState.Text;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>
    /// The one conversion between PowerShell values and the engine's JSON values, used by every parameter that
    /// takes structured data and by every object that carries some back.
    /// In: PSObject unwrapped at every depth and a PSCustomObject's properties taken as an object's members; the
    /// rest (dictionaries, arrays, exact numbers, dates, enums, errors naming the JSON path and type) is the
    /// engine's <see cref="JsonValueConverter"/>, so it is the same for the CLI and tested without PowerShell.
    /// Out: objects become PSCustomObjects and arrays object[] as with ConvertFrom-Json, but numbers keep their
    /// exact type and there is no depth limit.
    /// </summary>
    internal static class PSJsonConverter
    {
        /// <summary>The ErrorId of a value that has no JSON form, or that is not the object a parameter needs.</summary>
        public const string UnsupportedValueErrorId = "UnsupportedJsonValue";

        private static readonly JsonValueConverter In = new JsonValueConverter(Unwrap);

        /// <summary>The JSON value of <paramref name="value"/>, whose place in the document is <paramref name="path"/>.</summary>
        /// <exception cref="JsonTreeException">A value has no JSON form; the message names its path and type.</exception>
        public static object? FromPowerShell(object? value, string path = JsonPathText.Root) => In.Convert(value, path);

        /// <summary>The JSON object of a parameter's value (a hashtable, [ordered], a PSCustomObject); null stays null.</summary>
        /// <exception cref="JsonTreeException">The value is not an object, or a member has no JSON form.</exception>
        public static OrderedJsonObject? ObjectFromPowerShell(object? value, string path) => In.ConvertObject(value, path);

        /// <summary>The error a cmdlet writes for a value the conversion refused: nothing has been written when it is raised.</summary>
        public static ErrorRecord ErrorFor(JsonTreeException exception, object? target) =>
            new ErrorRecord(new PSArgumentException(exception.Message, exception), UnsupportedValueErrorId, ErrorCategory.InvalidArgument, target);

        /// <summary>A JSON value as PowerShell works with it.</summary>
        public static object? ToPowerShell(object? value)
        {
            switch (value)
            {
                case OrderedJsonObject obj:
                    return ToPSCustomObject(obj);
                case List<object?> list:
                    var array = new object?[list.Count];
                    for (int i = 0; i < array.Length; i++)
                    {
                        array[i] = ToPowerShell(list[i]);
                    }

                    return array;
                default:
                    return value;
            }
        }

        /// <summary>A JSON object as a PSCustomObject; null stays null.</summary>
        public static PSObject? ToPSCustomObject(OrderedJsonObject? obj)
        {
            if (obj == null)
            {
                return null;
            }

            var result = new PSObject();
            foreach (KeyValuePair<string, object?> member in obj)
            {
                result.Properties.Add(new PSNoteProperty(member.Key, ToPowerShell(member.Value)));
            }

            result.Methods.Add(new PSCodeMethod("ToString", JsonObjectText.Method));
            return result;
        }

        /// <summary>Each JSON object of a list as a PSCustomObject.</summary>
        public static PSObject[] ToPSCustomObjects(IEnumerable<OrderedJsonObject> objects)
        {
            var result = new List<PSObject>();
            foreach (OrderedJsonObject obj in objects)
            {
                result.Add(ToPSCustomObject(obj)!);
            }

            return result.ToArray();
        }

        /// <summary>
        /// Replaces the note property <paramref name="name"/> of <paramref name="obj"/>, when it holds ISO 8601 text,
        /// by the DateTimeOffset it names: how a field known to be a timestamp comes back.
        /// </summary>
        public static void TypeTimestamp(PSObject obj, string name)
        {
            if (obj.Properties[name] is PSNoteProperty property && property.Value is string text && IsoTimestamp.Parse(text) is DateTimeOffset time)
            {
                property.Value = time;
            }
        }

        private static object? Unwrap(object value)
        {
            if (!(value is PSObject wrapped))
            {
                return value;
            }

            if (!(wrapped.BaseObject is PSCustomObject))
            {
                return wrapped.BaseObject;
            }

            // The engine converts the members' values in turn, with their paths; here they are only gathered.
            var members = new OrderedJsonObject();
            foreach (PSPropertyInfo property in wrapped.Properties)
            {
                members[property.Name] = property.Value;
            }

            return members;
        }
    }
}
