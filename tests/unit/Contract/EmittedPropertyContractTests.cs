using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace AgentState.Tests.Contract
{
    /// <summary>
    /// No engine JSON type can be a property of what a cmdlet emits: a script would get OrderedJsonObject (which
    /// ConvertTo-Json writes as [] and Export-Csv as its type name), byte[] documents or untyped lists. Read from the
    /// built assembly: every [OutputType] of every cmdlet, and every type of the module its properties reach.
    /// </summary>
    public sealed class EmittedPropertyContractTests
    {
        public static TheoryData<string> ModuleOutputTypes()
        {
            var data = new TheoryData<string>();
            foreach (string name in CmdletContract.Cmdlets.SelectMany(c => c.OutputTypes).Distinct().OrderBy(n => n, StringComparer.Ordinal))
            {
                if (CmdletContract.FindType(name) != null)
                {
                    data.Add(name);
                }
            }

            return data;
        }

        [Fact]
        public void The_module_s_own_output_types_are_all_checked()
        {
            var checkedTypes = ((IEnumerable<object[]>)ModuleOutputTypes()).Select(row => (string)row[0]).ToList();

            Assert.Contains("AgentState.Agents.AgentStateRecord", checkedTypes);
            Assert.Contains("AgentState.Trajectories.TrajectorySummary", checkedTypes);
            Assert.Contains("AgentState.Trajectories.TrajectoryWriter", checkedTypes);
            Assert.Contains("AgentState.History.HistoryRebuildResult", checkedTypes);
            Assert.Contains("AgentState.Agents.IncompleteAgent", checkedTypes);
        }

        [Theory]
        [MemberData(nameof(ModuleOutputTypes))]
        public void No_public_property_reachable_from_an_output_type_is_an_engine_json_type(string outputType)
        {
            var leaks = new List<string>();
            Walk(CmdletContract.FindType(outputType)!, outputType, new HashSet<string>(), leaks);

            Assert.True(leaks.Count == 0, string.Join("; ", leaks));
        }

        [Theory]
        [InlineData("AgentState.Agents.AgentStateRecord", "StartedAt")]
        [InlineData("AgentState.Trajectories.TrajectorySummary", "CreatedAt")]
        [InlineData("AgentState.Trajectories.TrajectorySummary", "LastStepAt")]
        [InlineData("AgentState.Trajectories.TrajectoryRecoveryPlan", "LastCompleteStepAt")]
        [InlineData("AgentState.History.HistoryRebuildResult", "LastCompleted")]
        public void Timestamps_are_DateTimeOffset_so_that_Where_Object_compares_them_as_times(string type, string property)
        {
            Type declared = CmdletContract.FindType(type)!.GetProperty(property)!.PropertyType;

            Assert.Equal("System.Nullable`1[[System.DateTimeOffset", declared.FullName!.Substring(0, "System.Nullable`1[[System.DateTimeOffset".Length));
        }

        [Fact]
        public void An_incomplete_agent_s_status_has_the_type_of_a_record_s()
        {
            Type record = CmdletContract.FindType("AgentState.Agents.AgentStateRecord")!;
            Type incomplete = CmdletContract.FindType("AgentState.Agents.IncompleteAgent")!;

            Assert.Equal(record.GetProperty("Status")!.PropertyType.FullName, incomplete.GetProperty("Status")!.PropertyType.FullName);
        }

        private static void Walk(Type type, string path, HashSet<string> seen, List<string> leaks)
        {
            if (!seen.Add(type.FullName ?? type.Name))
            {
                return;
            }

            foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                string at = path + "." + property.Name;
                foreach (Type reached in Reached(property.PropertyType))
                {
                    string? why = Leak(reached);
                    if (why != null)
                    {
                        leaks.Add($"{at} is {why}");
                    }
                    else if (reached.Namespace?.StartsWith("AgentState", StringComparison.Ordinal) == true && !reached.IsEnum && !reached.IsArray)
                    {
                        Walk(reached, at, seen, leaks);
                    }
                }
            }
        }

        // The type itself, an array's or a nullable's element, and a generic collection's type arguments.
        private static IEnumerable<Type> Reached(Type type)
        {
            yield return type;
            if (type.IsArray)
            {
                foreach (Type inner in Reached(type.GetElementType()!))
                {
                    yield return inner;
                }
            }
            else if (type.IsGenericType)
            {
                foreach (Type inner in type.GetGenericArguments().SelectMany(Reached))
                {
                    yield return inner;
                }
            }
        }

        private static string? Leak(Type type)
        {
            if (type.Namespace == "AgentState.Json")
            {
                return "the engine's JSON type " + type.Name;
            }

            if (type.IsArray && type.GetElementType()!.FullName == "System.Byte")
            {
                return "a byte[] document";
            }

            if (type.FullName == "System.Object")
            {
                return "an untyped value (a JSON value, a list of them)";
            }

            return null;
        }
    }
}
