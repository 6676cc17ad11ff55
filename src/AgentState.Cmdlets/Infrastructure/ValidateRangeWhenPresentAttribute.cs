using System;
using System.Globalization;
using System.Management.Automation;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>
    /// ValidateRange for a value that may be absent: PowerShell's own refuses the null that an empty CSV cell
    /// becomes (see <see cref="EmptyAsAbsentAttribute"/>); this one lets it through and checks every present value.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateRangeWhenPresentAttribute : ValidateArgumentsAttribute
    {
        /// <summary>Allows values from <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
        public ValidateRangeWhenPresentAttribute(double minimum, double maximum)
        {
            Minimum = minimum;
            Maximum = maximum;
        }

        /// <summary>The smallest value allowed.</summary>
        public double Minimum { get; }

        /// <summary>The largest value allowed.</summary>
        public double Maximum { get; }

        /// <inheritdoc />
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            object? value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (value == null)
            {
                return;
            }

            double number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            if (!(number >= Minimum && number <= Maximum))
            {
                throw new ValidationMetadataException(string.Format(CultureInfo.InvariantCulture,
                    "The argument {0} is not from {1} to {2}. Supply a value in that range and try the command again.", number, Minimum, Maximum));
            }
        }
    }
}
