using System.Management.Automation;
using System.Reflection;
using System.Text;
using AgentState.Json;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>
    /// The ToString of the PSCustomObjects this module emits for JSON objects (metadata, final_metrics...): their
    /// compact JSON. PowerShell uses an object's own ToString member wherever it needs text, so Export-Csv writes a
    /// cell that Import-Csv and -Metadata read back, where it would otherwise write "@{k=v}".
    /// </summary>
    public static class JsonObjectText
    {
        internal static readonly MethodInfo Method = typeof(JsonObjectText).GetMethod(nameof(ToJson))!;

        /// <summary>The compact JSON of <paramref name="instance"/>; called by PowerShell as the object's ToString.</summary>
        public static string ToJson(PSObject instance) =>
            Encoding.UTF8.GetString(JsonTreeWriter.WriteLine(PSJsonConverter.FromPowerShell(instance))).TrimEnd('\n');
    }
}
