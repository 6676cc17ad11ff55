using System;
using AgentState.Json;
using AgentState.Trajectories;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>
    /// Every rule of the ATIF validator, called directly: the exact place (JsonPath) and the exact rule it reports,
    /// and the values it must let through (nulls of optional fields, every timestamp form Harbor takes).
    /// </summary>
    public sealed class AtifValidatorTests
    {
        private static OrderedJsonObject Json(string json) => (OrderedJsonObject)JsonTreeReader.Read(json).Root!;

        private const string Call = "{\"tool_call_id\":\"a\",\"function_name\":\"f\",\"arguments\":{}}";

        private static string Agent(string more) => "{\"step_id\":3,\"source\":\"agent\",\"message\":\"m\"," + more + "}";

        private static string Result(string result) => Agent("\"tool_calls\":[" + Call + "],\"observation\":{\"results\":[" + result + "]}");

        public static TheoryData<string, string, string> BadSteps => new TheoryData<string, string, string>
        {
            { "{\"step_id\":3,\"source\":\"user\",\"message\":\"m\",\"thoughts\":1}", "step 3", "unknown field 'thoughts' (ATIF rejects fields it does not define; put custom data in extra)" },
            { "{\"source\":\"user\",\"message\":\"m\"}", "step 3", "step_id is required and must be an integer" },
            { "{\"step_id\":5,\"source\":\"user\",\"message\":\"m\"}", "step 3", "step_id must be 3, the next in order (it is 5)" },
            { "{\"step_id\":3,\"message\":\"m\"}", "step 3", "source is required and must be one of system, user, agent" },
            { "{\"step_id\":3,\"source\":\"user\"}", "step 3", "message is required and must be a string (it may be empty)" },
            { "{\"step_id\":3,\"source\":\"user\",\"message\":1}", "step 3", "message is required and must be a string (it may be empty)" },
            { "{\"step_id\":3,\"source\":\"user\",\"message\":\"m\",\"timestamp\":\"yesterday\"}", "step 3", "timestamp must be an ISO 8601 timestamp such as 2025-10-16T14:30:00Z (it is \"yesterday\")" },
            { "{\"step_id\":3,\"source\":\"user\",\"message\":\"m\",\"timestamp\":20251016}", "step 3", "timestamp must be an ISO 8601 timestamp such as 2025-10-16T14:30:00Z (it is 20251016)" },
            { "{\"step_id\":3,\"source\":\"user\",\"message\":\"m\",\"timestamp\":true}", "step 3", "timestamp must be an ISO 8601 timestamp such as 2025-10-16T14:30:00Z (it is true)" },
            { "{\"step_id\":3,\"source\":\"user\",\"message\":\"m\",\"timestamp\":false}", "step 3", "timestamp must be an ISO 8601 timestamp such as 2025-10-16T14:30:00Z (it is false)" },
            { "{\"step_id\":3,\"source\":\"user\",\"message\":\"m\",\"timestamp\":{}}", "step 3", "timestamp must be an ISO 8601 timestamp such as 2025-10-16T14:30:00Z (it is an object)" },
            { "{\"step_id\":3,\"source\":\"user\",\"message\":\"m\",\"timestamp\":[]}", "step 3", "timestamp must be an ISO 8601 timestamp such as 2025-10-16T14:30:00Z (it is an array)" },
            { "{\"step_id\":3,\"source\":\"user\",\"message\":\"m\",\"metrics\":{}}", "step 3", "metrics is only allowed on agent steps, and this is a user step" },
            { "{\"step_id\":3,\"source\":\"system\",\"message\":\"m\",\"model_name\":\"x\"}", "step 3", "model_name is only allowed on agent steps, and this is a system step" },
            { "{\"step_id\":3,\"source\":\"user\",\"message\":\"m\",\"observation\":{\"results\":[]}}", "step 3", "observation is only allowed on agent and system steps, and this is a user step" },
            { Agent("\"model_name\":1"), "step 3.model_name", "must be a string" },
            { Agent("\"reasoning_content\":1"), "step 3.reasoning_content", "must be a string" },
            { Agent("\"reasoning_effort\":[]"), "step 3.reasoning_effort", "must be a string or a number" },
            { Agent("\"tool_calls\":\"f()\""), "step 3.tool_calls", "must be an array (it is \"f()\")" },
            { Agent("\"tool_calls\":[1]"), "step 3.tool_calls[0]", "must be an object (it is 1)" },
            { Agent("\"tool_calls\":[" + Call + ",{\"tool_call_id\":\"b\",\"function_name\":\"f\",\"arguments\":{},\"x\":1}]"), "step 3.tool_calls[1]", "unknown field 'x' (ATIF rejects fields it does not define; put custom data in extra)" },
            { Agent("\"tool_calls\":[{\"function_name\":\"f\",\"arguments\":{}}]"), "step 3.tool_calls[0]", "tool_call_id is required and must be a string" },
            { Agent("\"tool_calls\":[{\"tool_call_id\":\"a\",\"arguments\":{}}]"), "step 3.tool_calls[0]", "function_name is required and must be a string" },
            { Agent("\"tool_calls\":[{\"tool_call_id\":\"a\",\"function_name\":\"f\",\"arguments\":[]}]"), "step 3.tool_calls[0].arguments", "is required and must be an object (it may be {})" },
            { Agent("\"tool_calls\":[" + Call + "," + Call + "]"), "step 3.tool_calls[1]", "tool_call_id 'a' appears twice in the step" },
            { Agent("\"observation\":[]"), "step 3.observation", "must be an object (it is an array)" },
            { Agent("\"observation\":{\"results\":[],\"x\":1}"), "step 3.observation", "unknown field 'x' (ATIF rejects fields it does not define; put custom data in extra)" },
            { Agent("\"observation\":{}"), "step 3.observation.results", "must be an array (it is null)" },
            { Result("{},\"r\""), "step 3.observation.results[1]", "must be an object (it is \"r\")" },
            { Result("{\"content\":\"c\",\"x\":1}"), "step 3.observation.results[0]", "unknown field 'x' (ATIF rejects fields it does not define; put custom data in extra)" },
            { Result("{\"content\":1}"), "step 3.observation.results[0].content", "must be a string" },
            { Result("{\"source_call_id\":1}"), "step 3.observation.results[0].source_call_id", "must be a string" },
            { Result("{\"source_call_id\":\"b\"}"), "step 3.observation.results[0].source_call_id", "'b' names no tool_call_id of this step" },
            { Result("{\"subagent_trajectory_ref\":{}}"), "step 3.observation.results[0].subagent_trajectory_ref", "must be an array (it is an object)" },
            { Result("{\"subagent_trajectory_ref\":[{\"session_id\":\"s\"},1]}"), "step 3.observation.results[0].subagent_trajectory_ref[1]", "must be an object (it is 1)" },
            { Result("{\"subagent_trajectory_ref\":[{\"session_id\":\"s\",\"x\":1}]}"), "step 3.observation.results[0].subagent_trajectory_ref[0]", "unknown field 'x' (ATIF rejects fields it does not define; put custom data in extra)" },
            { Result("{\"subagent_trajectory_ref\":[{\"trajectory_path\":\"p\"}]}"), "step 3.observation.results[0].subagent_trajectory_ref[0]", "session_id is required and must be a string" },
            { Result("{\"subagent_trajectory_ref\":[{\"session_id\":\"s\",\"trajectory_path\":1}]}"), "step 3.observation.results[0].subagent_trajectory_ref[0].trajectory_path", "must be a string" },
            { Result("{\"subagent_trajectory_ref\":[{\"session_id\":\"s\",\"extra\":1}]}"), "step 3.observation.results[0].subagent_trajectory_ref[0].extra", "must be an object" },
            { Agent("\"metrics\":1"), "step 3.metrics", "must be an object (it is 1)" },
            { Agent("\"metrics\":{\"tokens\":1}"), "step 3.metrics", "unknown field 'tokens' (ATIF rejects fields it does not define; put custom data in extra)" },
            { Agent("\"metrics\":{\"prompt_tokens\":1.5}"), "step 3.metrics.prompt_tokens", "must be an integer" },
            { Agent("\"metrics\":{\"completion_tokens\":\"2\"}"), "step 3.metrics.completion_tokens", "must be an integer" },
            { Agent("\"metrics\":{\"cached_tokens\":true}"), "step 3.metrics.cached_tokens", "must be an integer" },
            { Agent("\"metrics\":{\"cost_usd\":\"0.1\"}"), "step 3.metrics.cost_usd", "must be a number" },
            { Agent("\"metrics\":{\"prompt_token_ids\":[1,1.5]}"), "step 3.metrics.prompt_token_ids", "must be an array of integers" },
            { Agent("\"metrics\":{\"prompt_token_ids\":[1,null]}"), "step 3.metrics.prompt_token_ids", "must be an array of integers" },
            { Agent("\"metrics\":{\"completion_token_ids\":[\"1\"]}"), "step 3.metrics.completion_token_ids", "must be an array of integers" },
            { Agent("\"metrics\":{\"completion_token_ids\":7}"), "step 3.metrics.completion_token_ids", "must be an array (it is 7)" },
            { Agent("\"metrics\":{\"logprobs\":[-0.5,null]}"), "step 3.metrics.logprobs", "must be an array of numbers" },
            { Agent("\"metrics\":{\"logprobs\":[\"x\"]}"), "step 3.metrics.logprobs", "must be an array of numbers" },
            { Agent("\"metrics\":{\"extra\":[]}"), "step 3.metrics.extra", "must be an object" },
            { Agent("\"extra\":\"x\""), "step 3.extra", "must be an object" },
        };

        [Theory]
        [MemberData(nameof(BadSteps))]
        public void A_bad_step_is_refused_with_its_exact_place_and_rule(string json, string place, string rule)
        {
            var error = Assert.Throws<AtifValidationException>(() => AtifValidator.ValidateStep(Json(json), 3));

            Assert.Equal(place, error.JsonPath);
            Assert.Equal(rule, error.Rule);
            Assert.Equal(place + ": " + rule, error.Message);
        }

        public static TheoryData<string> GoodSteps => new TheoryData<string>
        {
            // Nulls of optional fields are absent fields: allowed on any source.
            "{\"step_id\":3,\"source\":\"user\",\"message\":\"\",\"timestamp\":null,\"model_name\":null,\"reasoning_effort\":null,\"reasoning_content\":null,\"tool_calls\":null,\"observation\":null,\"metrics\":null,\"extra\":null}",
            "{\"step_id\":3,\"source\":\"system\",\"message\":\"m\",\"observation\":{\"results\":[{\"content\":null,\"source_call_id\":null,\"subagent_trajectory_ref\":null}]}}",
            Agent("\"model_name\":\"m\",\"reasoning_effort\":\"high\",\"reasoning_content\":\"r\",\"tool_calls\":[" + Call + ",{\"tool_call_id\":\"b\",\"function_name\":\"g\",\"arguments\":{\"x\":null}}],\"observation\":{\"results\":[{\"source_call_id\":\"b\",\"content\":\"ok\"},{\"source_call_id\":\"a\"}]}"),
            Agent("\"metrics\":{\"prompt_tokens\":null,\"completion_tokens\":2,\"cached_tokens\":0,\"cost_usd\":1,\"prompt_token_ids\":null,\"completion_token_ids\":[],\"logprobs\":[0,-1.5],\"extra\":null}"),
            Agent("\"reasoning_effort\":2"),
            Result("{\"subagent_trajectory_ref\":[{\"session_id\":\"s\",\"trajectory_path\":null,\"extra\":null}]}"),
            "{\"step_id\":3,\"source\":\"user\",\"message\":\"m\",\"timestamp\":\"2025-10-16\"}",
            "{\"step_id\":3,\"source\":\"user\",\"message\":\"m\",\"timestamp\":\"2025-10-16 14:30\"}",
            "{\"step_id\":3,\"source\":\"user\",\"message\":\"m\",\"timestamp\":\"2025-10-16T14:30:00.123456789+05:30\"}",
            "{\"step_id\":3,\"source\":\"user\",\"message\":\"m\",\"timestamp\":\"2025-10-16T14:30:00-0800\"}",
        };

        [Theory]
        [MemberData(nameof(GoodSteps))]
        public void A_good_step_passes(string json) => AtifValidator.ValidateStep(Json(json), 3);

        [Theory]
        [InlineData("2025-10-16T14:30:00Z", true)]
        [InlineData("2025-10-16T14:30Z", true)]
        [InlineData("2025-10-16T14:30:00.1+00:00", true)]
        [InlineData("2025-13-01T00:00:00Z", false)] // The pattern fits; the date does not exist.
        [InlineData("2025-10-16T14:30:00.1234567890Z", false)] // Ten digits of fraction.
        [InlineData("2025-10-16T14", false)]
        [InlineData(" 2025-10-16", false)]
        [InlineData("2025-10-16Z ", false)]
        public void Timestamps_are_taken_as_pythons_fromisoformat_takes_them(string text, bool valid) =>
            Assert.Equal(valid, AtifSchema.IsTimestamp(text));

        [Theory]
        [InlineData("ATIF-v1.0", true)] // The first of the list.
        [InlineData("ATIF-v1.7", true)]
        [InlineData("ATIF-v1.8", false)]
        [InlineData("atif-v1.4", false)]
        public void The_versions_are_1_0_to_1_7_as_written(string version, bool valid) =>
            Assert.Equal(valid, AtifSchema.IsVersion(version));

        private const string Header = "\"schema_version\":\"ATIF-v1.4\",\"session_id\":\"s\",\"agent\":{\"name\":\"a\",\"version\":\"1\"}";

        public static TheoryData<string, string, string> BadHeaders => new TheoryData<string, string, string>
        {
            { "{" + Header + ",\"steps\":[]}", "h", "unknown field 'steps' (ATIF rejects fields it does not define; put custom data in extra)" },
            { "{" + Header + ",\"final_metrics\":{}}", "h", "unknown field 'final_metrics' (ATIF rejects fields it does not define; put custom data in extra)" },
            { "{\"session_id\":\"s\",\"agent\":{\"name\":\"a\",\"version\":\"1\"}}", "h", "schema_version is required and must be a string" },
            { "{\"schema_version\":\"ATIF-v2.0\",\"session_id\":\"s\",\"agent\":{\"name\":\"a\",\"version\":\"1\"}}", "h.schema_version", "must be one of ATIF-v1.0, ATIF-v1.1, ATIF-v1.2, ATIF-v1.3, ATIF-v1.4, ATIF-v1.5, ATIF-v1.6, ATIF-v1.7 (it is 'ATIF-v2.0')" },
            { "{\"schema_version\":\"ATIF-v1.4\",\"agent\":{\"name\":\"a\",\"version\":\"1\"}}", "h", "session_id is required and must be a string" },
            { "{\"schema_version\":\"ATIF-v1.4\",\"session_id\":\"s\"}", "h.agent", "must be an object (it is null)" },
            { "{\"schema_version\":\"ATIF-v1.4\",\"session_id\":\"s\",\"agent\":{\"name\":\"a\",\"version\":\"1\",\"x\":1}}", "h.agent", "unknown field 'x' (ATIF rejects fields it does not define; put custom data in extra)" },
            { "{\"schema_version\":\"ATIF-v1.4\",\"session_id\":\"s\",\"agent\":{\"version\":\"1\"}}", "h.agent", "name is required and must be a string" },
            { "{\"schema_version\":\"ATIF-v1.4\",\"session_id\":\"s\",\"agent\":{\"name\":\"a\"}}", "h.agent", "version is required and must be a string" },
            { "{\"schema_version\":\"ATIF-v1.4\",\"session_id\":\"s\",\"agent\":{\"name\":\"a\",\"version\":\"1\",\"model_name\":2}}", "h.agent.model_name", "must be a string" },
            { "{\"schema_version\":\"ATIF-v1.4\",\"session_id\":\"s\",\"agent\":{\"name\":\"a\",\"version\":\"1\",\"extra\":2}}", "h.agent.extra", "must be an object" },
            { "{" + Header + ",\"notes\":2}", "h.notes", "must be a string" },
            { "{" + Header + ",\"continued_trajectory_ref\":2}", "h.continued_trajectory_ref", "must be a string" },
            { "{" + Header + ",\"extra\":2}", "h.extra", "must be an object" },
        };

        [Theory]
        [MemberData(nameof(BadHeaders))]
        public void A_bad_header_is_refused_with_its_exact_place_and_rule(string json, string place, string rule)
        {
            var error = Assert.Throws<AtifValidationException>(() => AtifValidator.ValidateHeader(Json(json), "h", allowSteps: false));

            Assert.Equal(place, error.JsonPath);
            Assert.Equal(rule, error.Rule);
        }

        [Fact]
        public void A_header_with_every_optional_field_passes_and_a_document_may_carry_steps_and_final_metrics()
        {
            AtifValidator.ValidateHeader(Json("{" + Header.Replace("\"version\":\"1\"", "\"version\":\"1\",\"model_name\":\"m\",\"extra\":{}") + ",\"notes\":\"n\",\"continued_trajectory_ref\":\"r\",\"extra\":{}}"), "h", allowSteps: false);
            AtifValidator.ValidateHeader(Json("{" + Header + ",\"steps\":[],\"final_metrics\":{}}"), "h", allowSteps: true);
        }

        public static TheoryData<string, string, string> BadFinalMetrics => new TheoryData<string, string, string>
        {
            { "{\"total_tokens\":1}", "fm", "unknown field 'total_tokens' (ATIF rejects fields it does not define; put custom data in extra)" },
            { "{\"total_prompt_tokens\":1.5}", "fm.total_prompt_tokens", "must be an integer" },
            { "{\"total_completion_tokens\":\"1\"}", "fm.total_completion_tokens", "must be an integer" },
            { "{\"total_cached_tokens\":[]}", "fm.total_cached_tokens", "must be an integer" },
            { "{\"total_steps\":2.5}", "fm.total_steps", "must be an integer" },
            { "{\"total_cost_usd\":\"1\"}", "fm.total_cost_usd", "must be a number" },
            { "{\"extra\":[]}", "fm.extra", "must be an object" },
        };

        [Theory]
        [MemberData(nameof(BadFinalMetrics))]
        public void Bad_final_metrics_are_refused_with_their_exact_place_and_rule(string json, string place, string rule)
        {
            var error = Assert.Throws<AtifValidationException>(() => AtifValidator.ValidateFinalMetrics(Json(json), "fm"));

            Assert.Equal(place, error.JsonPath);
            Assert.Equal(rule, error.Rule);
        }

        [Fact]
        public void Final_metrics_with_every_field_or_nulls_pass() =>
            AtifValidator.ValidateFinalMetrics(Json("{\"total_prompt_tokens\":1,\"total_completion_tokens\":2,\"total_cached_tokens\":0,\"total_cost_usd\":0.5,\"total_steps\":3,\"extra\":{}}"), "fm");

        [Fact]
        public void Final_metrics_nulls_pass() =>
            AtifValidator.ValidateFinalMetrics(Json("{\"total_prompt_tokens\":null,\"total_cost_usd\":null,\"extra\":null}"), "fm");

        private const string Doc = "{\"schema_version\":\"ATIF-v1.4\",\"session_id\":\"s\",\"agent\":{\"name\":\"a\",\"version\":\"1\"}";

        public static TheoryData<string, string, string> BadDocuments => new TheoryData<string, string, string>
        {
            { Doc + ",\"x\":1,\"steps\":[]}", "trajectory", "unknown field 'x' (ATIF rejects fields it does not define; put custom data in extra)" },
            { Doc + "}", "trajectory.steps", "must be an array (it is null)" },
            { Doc + ",\"steps\":[{\"step_id\":1,\"source\":\"user\",\"message\":\"m\"},[]]}", "trajectory.steps[1]", "must be an object (it is an array)" },
            { Doc + ",\"steps\":[{\"step_id\":1,\"source\":\"user\",\"message\":\"m\"},{\"step_id\":3,\"source\":\"user\",\"message\":\"m\"}]}", "step 2", "step_id must be 2, the next in order (it is 3)" },
            { Doc + ",\"steps\":[],\"final_metrics\":[]}", "trajectory.final_metrics", "must be an object (it is an array)" },
            { Doc + ",\"steps\":[],\"final_metrics\":{\"total_steps\":\"0\"}}", "trajectory.final_metrics.total_steps", "must be an integer" },
        };

        [Theory]
        [MemberData(nameof(BadDocuments))]
        public void A_bad_document_is_refused_with_its_exact_place_and_rule(string json, string place, string rule)
        {
            var error = Assert.Throws<AtifValidationException>(() => AtifValidator.ValidateDocument(Json(json)));

            Assert.Equal(place, error.JsonPath);
            Assert.Equal(rule, error.Rule);
        }

        [Fact]
        public void A_document_without_final_metrics_or_with_null_ones_passes()
        {
            AtifValidator.ValidateDocument(Json(Doc + ",\"steps\":[{\"step_id\":1,\"source\":\"user\",\"message\":\"m\"}]}"));
            AtifValidator.ValidateDocument(Json(Doc + ",\"steps\":[],\"final_metrics\":null}"));
        }
    }
}
