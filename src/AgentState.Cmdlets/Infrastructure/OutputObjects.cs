using System.Collections.Generic;
using System.Management.Automation;
using AgentState.Agents;
using AgentState.History;
using AgentState.Json;
using AgentState.Runs;
using AgentState.Trajectories;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>
    /// The engine's results as the objects cmdlets emit: the engine's object itself, with what it holds as JSON
    /// (metadata, a header, final_metrics, history entries) added as PSCustomObjects, so that every emitted object
    /// works with ConvertTo-Json, Export-Csv, Where-Object and Format-List and no engine JSON type reaches a script.
    /// </summary>
    internal static class OutputObjects
    {
        public static PSObject Record(AgentStateRecord record)
        {
            PSObject result = PSObject.AsPSObject(record);
            Set(result, "Metadata", PSJsonConverter.ToPSCustomObject(record.Metadata));
            Set(result, "Fields", PSJsonConverter.ToPSCustomObject(record.Fields));
            return result;
        }

        public static PSObject Incomplete(IncompleteAgent agent)
        {
            Record(agent.Record); // Its note properties stay with the record wherever PowerShell wraps it again.
            return PSObject.AsPSObject(agent);
        }

        public static PSObject RecoverySummary(AgentRecoverySummary summary)
        {
            if (summary.OldestIncomplete != null)
            {
                Record(summary.OldestIncomplete);
            }

            PSObject result = PSObject.AsPSObject(summary);
            Set(result, "ByStatus", Counts(summary.ByStatus));
            Set(result, "IncompleteByStatus", Counts(summary.IncompleteByStatus));
            Set(result, "IncompleteByType", Counts(summary.IncompleteByType));
            return result;
        }

        public static PSObject Writer(TrajectoryWriter writer)
        {
            PSObject result = PSObject.AsPSObject(writer);
            Set(result, "Header", PSJsonConverter.ToPSCustomObject(writer.Header));
            return result;
        }

        public static PSObject Summary(TrajectorySummary summary)
        {
            PSObject result = PSObject.AsPSObject(summary);
            Set(result, "Header", PSJsonConverter.ToPSCustomObject(summary.Header));
            Set(result, "Agent", PSJsonConverter.ToPSCustomObject(summary.Agent));
            Set(result, "FinalMetrics", PSJsonConverter.ToPSCustomObject(summary.FinalMetrics));
            return result;
        }

        public static PSObject History(HistoryRebuildResult history)
        {
            PSObject result = PSObject.AsPSObject(history);
            Set(result, "Entries", PSJsonConverter.ToPSCustomObjects(history.Entries));
            return result;
        }

        public static PSObject Run(RunRecord run)
        {
            PSObject result = PSObject.AsPSObject(run);
            Set(result, "Metadata", PSJsonConverter.ToPSCustomObject(run.Metadata));
            Set(result, "Fields", PSJsonConverter.ToPSCustomObject(run.Fields));
            return result;
        }

        public static PSObject AgentResult(AgentResultRecord agent)
        {
            PSObject result = PSObject.AsPSObject(agent);
            Set(result, "ToolCalls", PSJsonConverter.ToPowerShell(agent.ToolCalls));
            Set(result, "TokensUsed", PSJsonConverter.ToPSCustomObject(agent.TokensUsed));
            Set(result, "Fields", PSJsonConverter.ToPSCustomObject(agent.Fields));
            return result;
        }

        public static PSObject Verification(VerificationRecord verification)
        {
            PSObject result = PSObject.AsPSObject(verification);
            Set(result, "Report", PSJsonConverter.ToPSCustomObject(verification.Fields));
            return result;
        }

        public static PSObject Iteration(IterationRecord iteration)
        {
            PSObject result = PSObject.AsPSObject(iteration);
            Set(result, "LoopStrategy", PSJsonConverter.ToPowerShell(iteration.LoopStrategy));
            Set(result, "Fields", PSJsonConverter.ToPSCustomObject(iteration.Fields));
            return result;
        }

        public static PSObject Event(RunEvent e)
        {
            PSObject result = PSObject.AsPSObject(e);
            Set(result, "Data", PSJsonConverter.ToPSCustomObject(e.Data));
            return result;
        }

        private static PSObject Counts(IReadOnlyDictionary<string, int> counts)
        {
            var obj = new OrderedJsonObject();
            foreach (KeyValuePair<string, int> count in counts)
            {
                obj[count.Key] = (long)count.Value;
            }

            return PSJsonConverter.ToPSCustomObject(obj)!;
        }

        private static void Set(PSObject target, string name, object? value)
        {
            if (target.Properties[name] is PSNoteProperty existing)
            {
                existing.Value = value; // The same engine object emitted again: its current value.
                return;
            }

            target.Properties.Add(new PSNoteProperty(name, value));
        }
    }
}
