using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using AgentState.Json;

namespace AgentState.Trajectories
{
    /// <summary>
    /// The rules of Harbor's ATIF validator: step_id runs 1, 2, 3 … in order; model_name, reasoning_effort,
    /// reasoning_content, tool_calls and metrics only on agent steps; observation only on agent and system steps;
    /// every source_call_id names a tool_call_id of the same step; timestamps are ISO 8601; unknown fields are
    /// rejected (custom data goes in extra); nulls are allowed only where a field is optional.
    /// </summary>
    public static class AtifValidator
    {
        private static readonly string[] HeaderFields = AtifSchema.RootFields.Where(f => f != "steps" && f != "final_metrics").ToArray();

        /// <summary>Checks one step that must carry <paramref name="expectedStepId"/>.</summary>
        /// <exception cref="AtifValidationException">The first rule the step breaks.</exception>
        public static void ValidateStep(OrderedJsonObject step, long expectedStepId)
        {
            string at = "step " + expectedStepId.ToString(CultureInfo.InvariantCulture);
            OnlyKnown(step, AtifSchema.StepFields, at);
            if (!(Get(step, "step_id") is object idValue) || !IsInteger(idValue))
            {
                throw new AtifValidationException(at, "step_id is required and must be an integer");
            }

            if (!(JsonNumber.TryGetInteger(idValue, out BigInteger givenId) && givenId == expectedStepId))
            {
                throw new AtifValidationException(at, $"step_id must be {expectedStepId}, the next in order (it is {idValue})");
            }

            if (!(Get(step, "source") is string source) || !AtifSchema.Sources.Contains(source))
            {
                throw new AtifValidationException(at, "source is required and must be one of system, user, agent");
            }

            if (!(Get(step, "message") is string))
            {
                throw new AtifValidationException(at, "message is required and must be a string (it may be empty)");
            }

            if (Present(step, "timestamp") && !(Get(step, "timestamp") is string stamp && AtifSchema.IsTimestamp(stamp)))
            {
                throw new AtifValidationException(at, $"timestamp must be an ISO 8601 timestamp such as 2025-10-16T14:30:00Z (it is {Describe(Get(step, "timestamp"))})");
            }

            if (source != "agent")
            {
                foreach (string field in AtifSchema.AgentOnlyStepFields.Where(f => Present(step, f)))
                {
                    throw new AtifValidationException(at, $"{field} is only allowed on agent steps, and this is a {source} step");
                }
            }

            if (source == "user" && Present(step, "observation"))
            {
                throw new AtifValidationException(at, "observation is only allowed on agent and system steps, and this is a user step");
            }

            OptionalString(step, "model_name", at);
            OptionalString(step, "reasoning_content", at);
            if (Present(step, "reasoning_effort") && !(Get(step, "reasoning_effort") is string || IsNumber(Get(step, "reasoning_effort")!)))
            {
                throw new AtifValidationException(at + ".reasoning_effort", "must be a string or a number");
            }

            var callIds = new HashSet<string>(StringComparer.Ordinal);
            if (Present(step, "tool_calls"))
            {
                List<object?> calls = Array(step, "tool_calls", at);
                for (int i = 0; i < calls.Count; i++)
                {
                    string where = $"{at}.tool_calls[{i}]";
                    OrderedJsonObject call = Object(calls[i], where);
                    OnlyKnown(call, AtifSchema.ToolCallFields, where);
                    string id = RequiredString(call, "tool_call_id", where);
                    RequiredString(call, "function_name", where);
                    if (!(Get(call, "arguments") is OrderedJsonObject))
                    {
                        throw new AtifValidationException(where + ".arguments", "is required and must be an object (it may be {})");
                    }

                    if (!callIds.Add(id))
                    {
                        throw new AtifValidationException(where, $"tool_call_id '{id}' appears twice in the step");
                    }
                }
            }

            if (Present(step, "observation"))
            {
                ValidateObservation(Object(Get(step, "observation"), at + ".observation"), callIds, at + ".observation");
            }

            if (Present(step, "metrics"))
            {
                ValidateMetrics(Object(Get(step, "metrics"), at + ".metrics"), at + ".metrics");
            }

            OptionalObject(step, "extra", at);
        }

        /// <summary>Checks a whole ATIF document: root, agent, every step in order, final_metrics.</summary>
        /// <exception cref="AtifValidationException">The first rule the document breaks.</exception>
        public static void ValidateDocument(OrderedJsonObject document)
        {
            ValidateHeader(document, "trajectory", allowSteps: true);
            List<object?> steps = Array(document, "steps", "trajectory");
            for (int i = 0; i < steps.Count; i++)
            {
                ValidateStep(Object(steps[i], $"trajectory.steps[{i}]"), i + 1);
            }

            if (Present(document, "final_metrics"))
            {
                ValidateFinalMetrics(Object(Get(document, "final_metrics"), "trajectory.final_metrics"), "trajectory.final_metrics");
            }
        }

        /// <summary>Checks the root fields other than steps (for a JSONL header, which has no steps).</summary>
        public static void ValidateHeader(OrderedJsonObject header, string at, bool allowSteps)
        {
            IEnumerable<string> allowed = allowSteps ? AtifSchema.RootFields : HeaderFields;
            OnlyKnown(header, allowed, at);
            string version = RequiredString(header, "schema_version", at);
            if (!AtifSchema.IsVersion(version))
            {
                throw new AtifValidationException(at + ".schema_version", $"must be one of {string.Join(", ", AtifSchema.Versions)} (it is '{version}')");
            }

            RequiredString(header, "session_id", at);
            OrderedJsonObject agent = Object(Get(header, "agent"), at + ".agent");
            OnlyKnown(agent, AtifSchema.AgentFields, at + ".agent");
            RequiredString(agent, "name", at + ".agent");
            RequiredString(agent, "version", at + ".agent");
            OptionalString(agent, "model_name", at + ".agent");
            OptionalObject(agent, "extra", at + ".agent");
            OptionalString(header, "notes", at);
            OptionalString(header, "continued_trajectory_ref", at);
            OptionalObject(header, "extra", at);
        }

        /// <summary>Checks a final_metrics object.</summary>
        public static void ValidateFinalMetrics(OrderedJsonObject metrics, string at)
        {
            OnlyKnown(metrics, AtifSchema.FinalMetricsFields, at);
            foreach (string field in new[] { "total_prompt_tokens", "total_completion_tokens", "total_cached_tokens", "total_steps" })
            {
                OptionalInteger(metrics, field, at);
            }

            if (Present(metrics, "total_cost_usd") && !IsNumber(Get(metrics, "total_cost_usd")!))
            {
                throw new AtifValidationException(at + ".total_cost_usd", "must be a number");
            }

            OptionalObject(metrics, "extra", at);
        }

        private static void ValidateObservation(OrderedJsonObject observation, HashSet<string> callIds, string at)
        {
            OnlyKnown(observation, AtifSchema.ObservationFields, at);
            List<object?> results = Array(observation, "results", at);
            for (int i = 0; i < results.Count; i++)
            {
                string where = $"{at}.results[{i}]";
                OrderedJsonObject result = Object(results[i], where);
                OnlyKnown(result, AtifSchema.ObservationResultFields, where);
                OptionalString(result, "content", where);
                if (Present(result, "source_call_id"))
                {
                    if (!(Get(result, "source_call_id") is string call))
                    {
                        throw new AtifValidationException(where + ".source_call_id", "must be a string");
                    }

                    if (!callIds.Contains(call))
                    {
                        throw new AtifValidationException(where + ".source_call_id", $"'{call}' names no tool_call_id of this step");
                    }
                }

                if (Present(result, "subagent_trajectory_ref"))
                {
                    List<object?> refs = Array(result, "subagent_trajectory_ref", where);
                    for (int r = 0; r < refs.Count; r++)
                    {
                        string refAt = $"{where}.subagent_trajectory_ref[{r}]";
                        OrderedJsonObject reference = Object(refs[r], refAt);
                        OnlyKnown(reference, AtifSchema.SubagentRefFields, refAt);
                        RequiredString(reference, "session_id", refAt);
                        OptionalString(reference, "trajectory_path", refAt);
                        OptionalObject(reference, "extra", refAt);
                    }
                }
            }
        }

        private static void ValidateMetrics(OrderedJsonObject metrics, string at)
        {
            OnlyKnown(metrics, AtifSchema.MetricsFields, at);
            foreach (string field in AtifSchema.MetricsIntegerFields)
            {
                OptionalInteger(metrics, field, at);
            }

            if (Present(metrics, "cost_usd") && !IsNumber(Get(metrics, "cost_usd")!))
            {
                throw new AtifValidationException(at + ".cost_usd", "must be a number");
            }

            foreach (string field in new[] { "prompt_token_ids", "completion_token_ids" })
            {
                if (Present(metrics, field) && Array(metrics, field, at).Any(v => v == null || !IsInteger(v)))
                {
                    throw new AtifValidationException($"{at}.{field}", "must be an array of integers");
                }
            }

            if (Present(metrics, "logprobs") && Array(metrics, "logprobs", at).Any(v => v == null || !IsNumber(v)))
            {
                throw new AtifValidationException(at + ".logprobs", "must be an array of numbers");
            }

            OptionalObject(metrics, "extra", at);
        }

        private static readonly Dictionary<object, HashSet<string>> KnownSets = new Dictionary<object, HashSet<string>>();

        private static void OnlyKnown(OrderedJsonObject obj, IEnumerable<string> known, string at)
        {
            // The field lists are static: their sets are built once, not once per validated object.
            HashSet<string>? allowed;
            lock (KnownSets)
            {
                if (!KnownSets.TryGetValue(known, out allowed))
                {
                    allowed = new HashSet<string>(known, StringComparer.Ordinal);
                    if (known is string[] || known is IReadOnlyList<string>)
                    {
                        KnownSets[known] = allowed;
                    }
                }
            }

            foreach (KeyValuePair<string, object?> member in obj)
            {
                if (!allowed.Contains(member.Key))
                {
                    throw new AtifValidationException(at, $"unknown field '{member.Key}' (ATIF rejects fields it does not define; put custom data in extra)");
                }
            }
        }

        private static bool Present(OrderedJsonObject obj, string key) => obj.ContainsKey(key) && obj[key] != null;

        private static object? Get(OrderedJsonObject obj, string key) => obj.ContainsKey(key) ? obj[key] : null;

        private static string RequiredString(OrderedJsonObject obj, string key, string at) =>
            Get(obj, key) as string ?? throw new AtifValidationException(at, $"{key} is required and must be a string");

        private static void OptionalString(OrderedJsonObject obj, string key, string at)
        {
            if (Present(obj, key) && !(Get(obj, key) is string))
            {
                throw new AtifValidationException($"{at}.{key}", "must be a string");
            }
        }

        private static void OptionalObject(OrderedJsonObject obj, string key, string at)
        {
            if (Present(obj, key) && !(Get(obj, key) is OrderedJsonObject))
            {
                throw new AtifValidationException($"{at}.{key}", "must be an object");
            }
        }

        private static void OptionalInteger(OrderedJsonObject obj, string key, string at)
        {
            if (Present(obj, key) && !IsInteger(Get(obj, key)!))
            {
                throw new AtifValidationException($"{at}.{key}", "must be an integer");
            }
        }

        private static OrderedJsonObject Object(object? value, string at) =>
            value as OrderedJsonObject ?? throw new AtifValidationException(at, $"must be an object (it is {Describe(value)})");

        private static List<object?> Array(OrderedJsonObject obj, string key, string at) =>
            Get(obj, key) as List<object?> ?? throw new AtifValidationException($"{at}.{key}", $"must be an array (it is {Describe(Get(obj, key))})");

        private static bool IsInteger(object value) => JsonNumber.IsInteger(value);

        private static bool IsNumber(object value) => JsonNumber.IsNumber(value);

        private static string Describe(object? value) => value switch
        {
            null => "null",
            string s => "\"" + s + "\"",
            OrderedJsonObject _ => "an object",
            List<object?> _ => "an array",
            bool b => b ? "true" : "false",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "?",
        };
    }
}
