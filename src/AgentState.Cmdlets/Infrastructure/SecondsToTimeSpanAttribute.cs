using System;
using System.Globalization;
using System.Management.Automation;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>
    /// Lets a TimeSpan parameter take a plain number as seconds: PowerShell would otherwise read
    /// <c>-LockTimeout 30</c> as 30 ticks (3 microseconds). Strings like '00:01:30' still work.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SecondsToTimeSpanAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc />
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            if (EmptyAsAbsentAttribute.IsEmpty(inputData))
            {
                return null; // An empty CSV cell: no duration, not an error.
            }

            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData!;
            switch (value)
            {
                case TimeSpan span:
                    return span;
                case int _:
                case long _:
                case double _:
                case decimal _:
                case float _:
                    return TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                case string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds):
                    return TimeSpan.FromSeconds(seconds);
                case string text when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan parsed):
                    return parsed;
                default:
                    throw new ArgumentTransformationMetadataException($"Cannot read '{value}' as a time span: give seconds (30) or a time span ('00:00:30').");
            }
        }
    }
}
