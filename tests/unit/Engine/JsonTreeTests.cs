using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Text;
using AgentState.Json;
using Xunit;

namespace AgentState.Tests.Engine
{
    public sealed class JsonTreeTests
    {
        private static string RoundTrip(string json) => Encoding.UTF8.GetString(JsonTreeWriter.Write(JsonTreeReader.Read(json).Root, JsonTreeReader.Read(json)));

        [Theory]
        [InlineData("{\"version\":\"1.0\",\"max_entries\":50,\"entries\":[]}")]
        [InlineData("{\"big\":123456789012345678901234567890,\"neg\":-98765432109876543210}")]
        [InlineData("{\"a\":1.50,\"b\":0.1,\"c\":1e3,\"d\":1E+2,\"e\":-0,\"f\":3.14159265358979323846264338327950288,\"g\":2.5e-8}")]
        [InlineData("{\"text\":\"é 日本 🤖 \\\"quoted\\\" back\\\\slash\",\"n\":null,\"t\":true,\"f\":false}")]
        [InlineData("{\"empty\":{},\"list\":[],\"nested\":[[],[{}],[null]]}")]
        [InlineData("[1,\"two\",3.0,null]")]
        [InlineData("42")]
        [InlineData("{\n  \"version\": \"1.0\",\n  \"entries\": [\n    {\n      \"agent_id\": \"abc123\",\n      \"cost\": 0.0100\n    }\n  ]\n}\n")]
        [InlineData("{\r\n  \"crlf\": true,\r\n  \"n\": 1.0\r\n}\r\n")]
        [InlineData("{\"python\": \"compact\", \"list\": [1, 2.50, \"é\"], \"o\": {\"k\": null}}")]
        [InlineData("{\n    \"four\": [\n        1e3,\n        \"x\",\n        [],\n        {}\n    ]\n}")]
        [InlineData("{\n\t\"tab\": {\n\t\t\"n\": 0.10\n\t}\n}\n")]
        [InlineData("[\n  {\n    \"a\": [\n      \"s\",\n      -0\n    ]\n  }\n]\n")]
        public void A_document_read_and_written_unchanged_is_byte_for_byte_the_same(string json)
        {
            Assert.Equal(json, RoundTrip(json));
        }

        [Fact]
        public void Nesting_far_beyond_100_levels_round_trips()
        {
            string deep = string.Concat(Enumerable.Repeat("{\"d\":[", 400)) + "1.10" + string.Concat(Enumerable.Repeat("]}", 400));

            Assert.Equal(deep, RoundTrip(deep));
        }

        [Fact]
        public void Nesting_beyond_the_limit_is_an_error_not_a_stack_overflow()
        {
            string tooDeep = new string('[', JsonTreeReader.MaxDepth + 1) + new string(']', JsonTreeReader.MaxDepth + 1);

            var error = Assert.Throws<JsonTreeException>(() => JsonTreeReader.Read(tooDeep));

            Assert.Contains("depth", error.Message);
        }

        [Fact]
        public void Numbers_are_read_as_the_narrowest_exact_type()
        {
            var root = (OrderedJsonObject)JsonTreeReader.Read("{\"l\":7,\"b\":99999999999999999999,\"m\":1.50,\"d\":1e300}").Root!;

            Assert.Equal(7L, root["l"]);
            Assert.Equal(BigInteger.Parse("99999999999999999999"), root["b"]);
            Assert.Equal(1.50m, root["m"]);
            Assert.Equal("1.50", ((decimal)root["m"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(1e300, root["d"]);
        }

        [Fact]
        public void A_change_reformats_only_what_changed_and_keeps_member_order_and_unknown_fields()
        {
            string json = "{\"zeta\":1e3,\"alpha\":{\"x_unknown\":[1,2]},\"count\":1.0,\"mid\":\"m\"}";
            JsonTree tree = JsonTreeReader.Read(json);
            var root = (OrderedJsonObject)tree.Root!;
            root["count"] = 2L;
            root["added"] = new Dictionary<string, object?> { ["k"] = "v" };

            string written = Encoding.UTF8.GetString(JsonTreeWriter.Write(root, tree));

            Assert.Equal("{\"zeta\":1e3,\"alpha\":{\"x_unknown\":[1,2]},\"count\":2,\"mid\":\"m\",\"added\":{\"k\":\"v\"}}", written);
        }

        [Fact]
        public void A_repeated_member_name_is_an_error_naming_the_object()
        {
            var error = Assert.Throws<JsonTreeException>(() => JsonTreeReader.Read("{\"a\":{\"b\":1,\"b\":2}}"));

            Assert.Equal("$.a", error.JsonPath);
            Assert.Contains("'b' twice", error.Message);
        }

        [Theory]
        [InlineData("{\"a\":")]
        [InlineData("")]
        [InlineData("{} {}")]
        [InlineData("{'a':1}")]
        public void Malformed_json_is_an_error(string json)
        {
            var error = Assert.Throws<JsonTreeException>(() => JsonTreeReader.Read(json));

            Assert.StartsWith("Not valid JSON", error.Message);
        }

        [Fact]
        public void Values_without_a_json_form_are_errors_that_give_their_path()
        {
            var nan = Assert.Throws<JsonTreeException>(() => JsonTreeWriter.Write(new Dictionary<string, object?> { ["cost"] = double.NaN }));
            var odd = Assert.Throws<JsonTreeException>(() => JsonTreeWriter.Write(new object?[] { 1, new Dictionary<string, object?> { ["when"] = new object() } }));

            Assert.Equal("$.cost", nan.JsonPath);
            Assert.Equal("$[1].when", odd.JsonPath);
            Assert.Contains("System.Object", odd.Message);
        }

        [Fact]
        public void New_values_are_written_in_their_json_forms()
        {
            var values = new OrderedJsonObject
            {
                ["when"] = new DateTimeOffset(2026, 2, 11, 11, 9, 30, TimeSpan.Zero),
                ["int"] = 5,
                ["dec"] = 2.50m,
                ["dbl"] = 0.5,
                ["char"] = 'x',
                ["list"] = new List<object?> { 1L, "a" },
            };

            string written = Encoding.UTF8.GetString(JsonTreeWriter.Write(values, JsonTreeReader.Read("{}")));

            Assert.Equal("{\"when\":\"2026-02-11T11:09:30.000+00:00\",\"int\":5,\"dec\":2.50,\"dbl\":0.5,\"char\":\"x\",\"list\":[1,\"a\"]}", written);
        }

        [Fact]
        public void Strings_escape_only_what_json_requires_and_read_back_the_same()
        {
            string value = "tab\t nl\n quote\" back\\ bell\u0007 sep\u2028 lone\uD800 pair🤖 é";

            string written = Encoding.UTF8.GetString(JsonTreeWriter.Write(new object?[] { value }, JsonTreeReader.Read("[]")));

            Assert.Equal("[\"tab\\t nl\\n quote\\\" back\\\\ bell\\u0007 sep\\u2028 lone\\ud800 pair🤖 é\"]", written);
            string readable = value.Replace("\uD800", "");
            string back = Encoding.UTF8.GetString(JsonTreeWriter.Write(new object?[] { readable }, JsonTreeReader.Read("[]")));
            Assert.Equal(readable, ((System.Collections.Generic.List<object?>)JsonTreeReader.Read(back).Root!)[0]);
        }

        [Fact]
        public void A_lone_surrogate_escape_in_a_file_is_a_clear_error()
        {
            var error = Assert.Throws<JsonTreeException>(() => JsonTreeReader.Read("{\"a\":\"x\\ud800y\"}"));

            Assert.Contains("lone surrogate", error.Message);
        }

        [Fact]
        public void A_new_document_is_indented_with_a_final_newline()
        {
            JsonTree tree = JsonTree.CreateEmptyObject();
            ((OrderedJsonObject)tree.Root!)["a"] = 1L;

            Assert.Equal("{\n  \"a\": 1\n}\n", Encoding.UTF8.GetString(JsonTreeWriter.Write(tree.Root, tree)));
        }
    }
}
