using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Numerics;
using System.Text;
using AgentState.Json;
using Xunit;

namespace AgentState.Tests.Engine
{
    public sealed class JsonValueConverterTests
    {
        private static readonly JsonValueConverter Converter = new JsonValueConverter();

        private static string Json(object? value) => Encoding.UTF8.GetString(JsonTreeWriter.WriteLine(Converter.Convert(value))).TrimEnd('\n');

        public static TheoryData<object, object> Numbers => new TheoryData<object, object>
        {
            { (byte)7, 7L },
            { (sbyte)-7, -7L },
            { (short)-300, -300L },
            { (ushort)60000, 60000L },
            { 42, 42L },
            { 4000000000u, 4000000000L },
            { long.MinValue, long.MinValue },
            { ulong.MaxValue, new BigInteger(ulong.MaxValue) },
            { BigInteger.Parse("123456789012345678901234567890"), BigInteger.Parse("123456789012345678901234567890") },
            { new BigInteger(5), 5L },
            { 0.1m, 0.1m },
            { 79228162514264337593543950335m, 79228162514264337593543950335m },
            { 0.1, 0.1 },
            { 1.1f, 1.1 },
        };

        [Theory]
        [MemberData(nameof(Numbers))]
        public void Every_dotnet_number_becomes_an_exact_json_number(object given, object expected)
        {
            object? converted = Converter.Convert(given);

            Assert.Equal(expected, converted);
            Assert.Equal(expected.GetType(), converted!.GetType());
        }

        [Fact]
        public void Big_and_decimal_numbers_are_written_with_every_digit()
        {
            Assert.Equal("{\"big\":123456789012345678901234567890,\"exact\":0.10000000000000000000000001}",
                Json(new OrderedDictionary { ["big"] = BigInteger.Parse("123456789012345678901234567890"), ["exact"] = 0.10000000000000000000000001m }));
        }

        [Fact]
        public void Dates_are_iso_8601_with_their_offset()
        {
            var values = new OrderedDictionary
            {
                ["offset"] = new DateTimeOffset(2025, 1, 2, 3, 4, 5, 123, TimeSpan.FromHours(2)),
                ["utc"] = new DateTime(2025, 1, 1, 0, 0, 1, DateTimeKind.Utc),
            };

            Assert.Equal("{\"offset\":\"2025-01-02T03:04:05.123+02:00\",\"utc\":\"2025-01-01T00:00:01.000+00:00\"}", Json(values));
        }

        [Fact]
        public void Enums_are_their_names_and_time_spans_their_seconds()
        {
            Assert.Equal("[\"Friday\",90,1.5]", Json(new object[] { DayOfWeek.Friday, TimeSpan.FromMinutes(1.5), TimeSpan.FromMilliseconds(1500) }));
        }

        [Fact]
        public void A_hashtable_is_sorted_and_an_ordered_dictionary_keeps_its_order_at_every_depth()
        {
            var nested = new Hashtable { ["b"] = 1, ["a"] = new OrderedDictionary { ["z"] = null, ["y"] = new List<object?> { 1, "two", new object[] { true } } } };

            Assert.Equal("{\"a\":{\"z\":null,\"y\":[1,\"two\",[true]]},\"b\":1}", Json(nested));
        }

        [Fact]
        public void A_value_with_no_json_form_is_an_error_naming_its_path_and_type()
        {
            var values = new Hashtable { ["metadata"] = new Hashtable { ["odd key"] = new List<object?> { 1, new System.IO.MemoryStream() } } };

            var error = Assert.Throws<JsonTreeException>(() => Converter.Convert(values));

            Assert.Equal("$.metadata['odd key'][1]", error.JsonPath);
            Assert.Contains("$.metadata['odd key'][1] is a System.IO.MemoryStream", error.Message);
        }

        [Theory]
        [InlineData(double.NaN)]
        [InlineData(double.PositiveInfinity)]
        public void A_number_json_cannot_hold_is_an_error_naming_its_path(double value)
        {
            var error = Assert.Throws<JsonTreeException>(() => Converter.Convert(new Hashtable { ["cost"] = value }, "$.metrics"));

            Assert.Equal("$.metrics.cost", error.JsonPath);
        }

        [Fact]
        public void A_value_that_contains_itself_is_an_error_not_a_stack_overflow()
        {
            var loop = new Hashtable();
            loop["self"] = loop;

            var error = Assert.Throws<JsonTreeException>(() => Converter.Convert(loop));

            Assert.Contains("deeper than", error.Message);
        }

        [Fact]
        public void An_object_parameter_refuses_what_is_not_an_object_with_its_path()
        {
            var error = Assert.Throws<JsonTreeException>(() => Converter.ConvertObject("@{k=v}", "$.metadata"));
            Assert.Equal("$.metadata", error.JsonPath);
            Assert.Contains("not the string '@{k=v}'", error.Message);
            Assert.Throws<JsonTreeException>(() => Converter.ConvertObject(new[] { 1 }, "$.metadata"));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("  ")]
        public void An_object_parameter_takes_null_and_an_empty_csv_cell_as_no_object(string? value)
        {
            Assert.Null(Converter.ConvertObject(value, "$.metadata"));
        }

        [Fact]
        public void An_object_parameter_takes_the_text_of_a_json_object_as_export_csv_writes_it()
        {
            OrderedJsonObject read = Converter.ConvertObject("{\"ticket\":\"CC-214\",\"n\":12345678901234567890}", "$.metadata")!;

            Assert.Equal("CC-214", read["ticket"]);
            Assert.Equal(BigInteger.Parse("12345678901234567890"), read["n"]);
        }

        [Fact]
        public void An_adapter_unwraps_a_front_end_s_wrappers_at_every_depth()
        {
            // PowerShell's PSObject stands here as a box the adapter opens, as the cmdlets' adapter opens PSObject.
            var converter = new JsonValueConverter(v => v is Box box ? box.Value : v);

            object? converted = converter.Convert(new Box(new Hashtable { ["k1"] = new Box(1), ["list"] = new Box(new[] { new Box(DateTimeKind.Utc) }) }));

            Assert.Equal("{\"k1\":1,\"list\":[\"Utc\"]}", Encoding.UTF8.GetString(JsonTreeWriter.WriteLine(converted)).TrimEnd('\n'));
        }

        private sealed class Box
        {
            public Box(object value) => Value = value;

            public object Value { get; }
        }
    }
}
