using System.Management.Automation;
using AgentState.Json;
using AgentState.Queue;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>A work item as emitted: the engine's item with its payload as a PowerShell value (never JSON text alone).</summary>
    internal static class WorkItemOutput
    {
        public static PSObject For(WorkItem item)
        {
            PSObject result = PSObject.AsPSObject(item);
            object? payload = item.PayloadJson == null ? null : PSJsonConverter.ToPowerShell(JsonTreeReader.Read(item.PayloadJson).Root);
            result.Properties.Remove("Payload");
            result.Properties.Add(new PSNoteProperty("Payload", payload));
            return result;
        }
    }
}
