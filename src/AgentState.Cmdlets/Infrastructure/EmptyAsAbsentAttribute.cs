using System;
using System.Management.Automation;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>
    /// Makes an empty string an absent value. Import-Csv gives "" for an empty cell, which PowerShell would
    /// otherwise bind as 0 to a number (a pid of 0, a load of 0%) or refuse for an enum; an empty cell says nothing.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class EmptyAsAbsentAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc />
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
            IsEmpty(inputData) ? null : inputData;

        /// <summary>True for null, "" and white space, wrapped in a PSObject or not.</summary>
        public static bool IsEmpty(object? value)
        {
            object? unwrapped = value is PSObject wrapped ? wrapped.BaseObject : value;
            return unwrapped == null || (unwrapped is string text && text.Trim().Length == 0);
        }
    }
}
