using System;
using AgentState.Text;
using Xunit;

namespace AgentState.Tests.Engine
{
    public sealed class DurationTextTests
    {
        [Theory]
        [InlineData(0, 0, 0, 0, 350, "350 milliseconds")]
        [InlineData(0, 0, 0, 1, 500, "1.5 seconds")]
        [InlineData(0, 0, 0, 1, 0, "1 second")]
        [InlineData(0, 0, 2, 5, 0, "2 minutes and 5 seconds")]
        [InlineData(0, 0, 1, 0, 0, "1 minute")]
        [InlineData(0, 3, 0, 59, 0, "3 hours")]
        [InlineData(0, 1, 30, 0, 0, "1 hour and 30 minutes")]
        [InlineData(1135, 16, 7, 20, 0, "1135 days and 16 hours")]
        public void A_span_is_said_in_words(int days, int hours, int minutes, int seconds, int milliseconds, string expected)
        {
            Assert.Equal(expected, DurationText.Describe(new TimeSpan(days, hours, minutes, seconds, milliseconds)));
        }

        [Fact]
        public void A_negative_span_is_described_by_its_length()
        {
            Assert.Equal("2 minutes", DurationText.Describe(TimeSpan.FromMinutes(-2)));
        }
    }
}
