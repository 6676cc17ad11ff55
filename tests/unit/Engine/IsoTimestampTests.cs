using System;
using AgentState.Text;
using Xunit;

namespace AgentState.Tests.Engine
{
    public sealed class IsoTimestampTests
    {
        [Fact]
        public void A_DateTimeOffset_keeps_its_offset_and_milliseconds()
        {
            var time = new DateTimeOffset(2025, 1, 2, 3, 4, 5, 123, TimeSpan.FromHours(2));

            Assert.Equal("2025-01-02T03:04:05.123+02:00", IsoTimestamp.Format(time));
        }

        [Fact]
        public void A_utc_DateTime_is_written_at_plus_zero()
        {
            Assert.Equal("2025-01-01T00:00:01.000+00:00", IsoTimestamp.Format(new DateTime(2025, 1, 1, 0, 0, 1, DateTimeKind.Utc)));
        }

        [Theory]
        [InlineData(DateTimeKind.Unspecified)]
        [InlineData(DateTimeKind.Local)]
        public void A_local_or_unspecified_DateTime_is_local_time_with_the_local_offset(DateTimeKind kind)
        {
            var time = new DateTime(2025, 6, 1, 12, 30, 0, kind);
            TimeSpan offset = TimeZoneInfo.Local.GetUtcOffset(new DateTime(2025, 6, 1, 12, 30, 0, DateTimeKind.Local));

            string text = IsoTimestamp.Format(time);

            Assert.Equal(new DateTimeOffset(2025, 6, 1, 12, 30, 0, offset).ToString(IsoTimestamp.Pattern, System.Globalization.CultureInfo.InvariantCulture), text);
            Assert.Equal(new DateTimeOffset(2025, 6, 1, 12, 30, 0, offset), IsoTimestamp.Parse(text));
        }

        [Fact]
        public void Reading_one_without_an_offset_takes_it_as_local_time_as_the_seed_writes_it()
        {
            DateTimeOffset? read = IsoTimestamp.Parse("2025-11-09T18:40:00");

            Assert.Equal(new DateTimeOffset(new DateTime(2025, 11, 9, 18, 40, 0, DateTimeKind.Local)), read);
        }

        [Theory]
        [InlineData("2025-10-16T14:30:00Z", 0)]
        [InlineData("2025-10-16T14:30:00.5+05:30", 330)]
        public void Reading_keeps_the_written_offset(string text, int offsetMinutes)
        {
            Assert.Equal(TimeSpan.FromMinutes(offsetMinutes), IsoTimestamp.Parse(text)!.Value.Offset);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("01/01/2025 00:00:00")]
        [InlineData("tomorrow")]
        [InlineData("2025-13-01")]
        public void Text_that_is_not_an_ISO_8601_timestamp_reads_as_null(string? text)
        {
            Assert.Null(IsoTimestamp.Parse(text));
        }
    }
}
