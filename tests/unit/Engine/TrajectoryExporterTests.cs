using System;
using System.IO;
using System.Text;
using AgentState.Json;
using AgentState.Trajectories;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>The export's rules one by one, on streams written by hand: the exact document, and the exact error for each bad stream.</summary>
    public sealed class TrajectoryExporterTests : IDisposable
    {
        private const string Header = "{\"__header__\":true,\"schema_version\":\"ATIF-v1.4\",\"session_id\":\"s1\",\"agent\":{\"name\":\"a\",\"version\":\"1\",\"extra\":{\"k\":null}},\"created_at\":\"2026-11-22T09:00:00Z\",\"notes\":null}";

        private readonly TestFolder _folder = new TestFolder();

        public void Dispose() => _folder.Dispose();

        private string Stream(params string[] lines)
        {
            string path = _folder.File("s1.atif.jsonl");
            File.WriteAllText(path, string.Join("\n", lines));
            return path;
        }

        private static string Export(string path, string? version = null)
        {
            using var output = new MemoryStream();
            TrajectoryExporter.Export(path, output, version);
            return Encoding.UTF8.GetString(output.ToArray());
        }

        [Fact]
        public void A_stream_exports_its_header_without_marker_time_or_nulls_its_steps_in_order_and_its_final_metrics()
        {
            string path = Stream(Header,
                "{\"step_id\":1,\"source\":\"user\",\"message\":\"hi\",\"extra\":{\"n\":null}}",
                "{\"step_id\":2,\"source\":\"agent\",\"message\":\"m\",\"model_name\":null,\"tool_calls\":[{\"tool_call_id\":\"c\",\"function_name\":\"f\",\"arguments\":{\"x\":null}}],\"observation\":{\"results\":[{\"source_call_id\":\"c\",\"content\":null}]}}",
                "{\"__final__\":true,\"status\":\"completed\",\"final_metrics\":{\"total_steps\":2,\"total_cost_usd\":null},\"completed_at\":\"2026-11-22T09:01:00Z\"}",
                "{\"step_id\":3,\"sou");

            Assert.Equal(
                "{\"schema_version\":\"ATIF-v1.4\",\"session_id\":\"s1\",\"agent\":{\"name\":\"a\",\"version\":\"1\",\"extra\":{\"k\":null}},\"steps\":["
                + "{\"step_id\":1,\"source\":\"user\",\"message\":\"hi\",\"extra\":{\"n\":null}},"
                + "{\"step_id\":2,\"source\":\"agent\",\"message\":\"m\",\"tool_calls\":[{\"tool_call_id\":\"c\",\"function_name\":\"f\",\"arguments\":{\"x\":null}}],\"observation\":{\"results\":[{\"source_call_id\":\"c\"}]}}"
                + "],\"final_metrics\":{\"total_steps\":2}}\n",
                Export(path));
        }

        [Fact]
        public void A_stream_without_steps_or_final_line_exports_an_empty_steps_array()
        {
            Assert.Equal("{\"schema_version\":\"ATIF-v1.4\",\"session_id\":\"s1\",\"agent\":{\"name\":\"a\",\"version\":\"1\",\"extra\":{\"k\":null}},\"steps\":[]}\n",
                Export(Stream(Header + "\n")));
        }

        [Fact]
        public void A_final_line_without_final_metrics_exports_none()
        {
            Assert.EndsWith("\"steps\":[]}\n", Export(Stream(Header, "{\"__final__\":true,\"status\":\"failed\"}\n")));
        }

        [Fact]
        public void A_schema_version_asked_for_replaces_the_headers_and_a_bad_one_is_refused_before_anything_is_read()
        {
            string path = Stream(Header + "\n");

            Assert.StartsWith("{\"schema_version\":\"ATIF-v1.6\",", Export(path, "ATIF-v1.6"));
            var error = Assert.Throws<AtifValidationException>(() => Export(_folder.File("missing.atif.jsonl"), "v9"));
            Assert.Equal("schema_version", error.JsonPath);
            Assert.Equal("must be one of ATIF-v1.0, ATIF-v1.1, ATIF-v1.2, ATIF-v1.3, ATIF-v1.4, ATIF-v1.5, ATIF-v1.6, ATIF-v1.7 (it is 'v9')", error.Rule);
        }

        [Fact]
        public void A_header_that_breaks_a_rule_is_refused_as_the_header()
        {
            var error = Assert.Throws<AtifValidationException>(() => Export(Stream("{\"__header__\":true,\"schema_version\":\"ATIF-v1.4\",\"session_id\":\"s1\",\"agent\":{\"name\":\"a\"}}\n")));

            Assert.Equal("header.agent", error.JsonPath);
        }

        [Fact]
        public void A_step_before_the_header_a_malformed_line_and_a_missing_header_are_named_with_the_file()
        {
            string path = _folder.File("s1.atif.jsonl");

            File.WriteAllText(path, "{\"step_id\":1,\"source\":\"user\",\"message\":\"m\"}\n" + Header + "\n");
            var early = Assert.Throws<TrajectoryCorruptException>(() => Export(path));
            Assert.Equal(path, early.Path);
            Assert.Contains("a step comes before the header", early.Message);

            File.WriteAllText(path, Header + "\n{\"step_id\":1,\"source\":\"user\",\"message\":\"m\"}\n{not json\n");
            var malformed = Assert.Throws<TrajectoryCorruptException>(() => Export(path));
            Assert.Contains("line 3 is not valid JSON (", malformed.Message);

            File.WriteAllText(path, "");
            var headless = Assert.Throws<TrajectoryCorruptException>(() => Export(path));
            Assert.Contains("it has no header line", headless.Message);
        }

        [Fact]
        public void A_legacy_document_exports_without_nulls_with_the_version_asked_for()
        {
            string legacy = _folder.File("old.json");
            File.WriteAllText(legacy, "{\"schema_version\":\"ATIF-v1.2\",\"session_id\":\"s\",\"notes\":null,\"agent\":{\"name\":\"a\",\"version\":\"1\"},\"steps\":[{\"step_id\":1,\"source\":\"user\",\"message\":\"m\",\"timestamp\":null}]}");

            string text = Export(legacy, "ATIF-v1.5");

            Assert.Equal("{\"schema_version\":\"ATIF-v1.5\",\"session_id\":\"s\",\"agent\":{\"name\":\"a\",\"version\":\"1\"},\"steps\":[{\"step_id\":1,\"source\":\"user\",\"message\":\"m\"}]}",
                text.Replace("\n", string.Empty).Replace(" ", string.Empty));
        }

        [Fact]
        public void A_header_line_may_not_carry_steps_or_final_metrics()
        {
            var error = Assert.Throws<AtifValidationException>(() => Export(Stream(Header.Replace("\"notes\":null", "\"steps\":[]") + "\n")));

            Assert.Equal("header", error.JsonPath);
            Assert.StartsWith("unknown field 'steps'", error.Rule);
        }

        [Fact]
        public void A_legacy_document_that_breaks_a_rule_is_refused_and_nothing_is_written()
        {
            string legacy = _folder.File("old.json");
            File.WriteAllText(legacy, "{\"schema_version\":\"ATIF-v1.2\",\"session_id\":\"s\",\"agent\":{\"name\":\"a\",\"version\":\"1\"},\"steps\":[{\"step_id\":2,\"source\":\"user\",\"message\":\"m\"}]}");
            using var output = new MemoryStream();

            var error = Assert.Throws<AtifValidationException>(() => TrajectoryExporter.Export(legacy, output));

            Assert.Equal("step 1", error.JsonPath);
            Assert.Equal(0, output.Length);
        }

        [Fact]
        public void A_legacy_file_that_is_not_an_object_is_refused_naming_it()
        {
            string legacy = _folder.File("old.json");
            File.WriteAllText(legacy, "[1]");

            var error = Assert.Throws<TrajectoryCorruptException>(() => Export(legacy));

            Assert.Equal(legacy, error.Path);
            Assert.Contains("it is not a JSON object", error.Message);
        }
    }
}
