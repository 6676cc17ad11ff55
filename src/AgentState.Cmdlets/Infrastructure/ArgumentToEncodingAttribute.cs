using System;
using System.Management.Automation;
using System.Text;
using AgentState.IO;
using AgentState.Text;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>
    /// -Encoding as Set-Content takes it (PowerShell's ArgumentToEncodingTransformationAttribute): a name, a code page
    /// number or an Encoding object, each made strict so that an unrepresentable character is an error.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ArgumentToEncodingAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc />
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            try
            {
                switch (value)
                {
                    case Encoding encoding:
                        return TextEncodings.Strict(encoding);
                    case string name:
                        return TextEncodings.Get(name);
                    case int codePage:
                        return TextEncodings.Get(codePage);
                    case long codePage when codePage >= 0 && codePage <= int.MaxValue:
                        return TextEncodings.Get((int)codePage);
                    default:
                        return inputData;
                }
            }
            catch (InvalidInputException ex)
            {
                throw new ArgumentTransformationMetadataException(ex.Message, ex);
            }
        }
    }
}
