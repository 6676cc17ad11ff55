using System.Collections.Generic;
using System.Management.Automation;
using AgentState.Json;
using AgentState.Trajectories;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>Finds the trajectory files a cmdlet names by -Path, -LiteralPath or -SessionId (under -Root).</summary>
    internal static class TrajectoryTargets
    {
        /// <summary>The type name that step objects carry, for their table view.</summary>
        public const string StepTypeName = "AgentState.TrajectoryStep";

        /// <summary>The trajectories' root folder; null after an error when -Root is not a file-system path.</summary>
        public static string? RootOf(PSCmdlet cmdlet, string? root) =>
            string.IsNullOrEmpty(root)
                ? TrajectoryFiles.DefaultRoot(cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath)
                : new ProviderPathResolver(cmdlet).ResolveFolder(root!);

        /// <summary>The files; failures are written as errors and yield nothing.</summary>
        public static IEnumerable<string> Resolve(PSCmdlet cmdlet, string? path, string? literalPath, string? sessionId, string? root)
        {
            if (sessionId != null)
            {
                string? folder = RootOf(cmdlet, root);
                if (folder == null)
                {
                    return new string[0];
                }

                string? found = null;
                try
                {
                    found = TrajectoryFiles.Find(folder, sessionId);
                    if (found == null)
                    {
                        cmdlet.WriteError(EngineErrors.For(new TrajectoryNotFoundException($"no session '{sessionId}' under '{folder}'", null), sessionId));
                    }
                }
                catch (System.Exception ex) when (EngineErrors.For(ex, sessionId) is ErrorRecord error)
                {
                    cmdlet.WriteError(error);
                }

                return found == null ? new string[0] : new[] { found };
            }

            return new ProviderPathResolver(cmdlet).Resolve(literalPath ?? path!, literalPath != null);
        }

        /// <summary>A step as the object a script works with: its ATIF fields as properties, typed for its view.</summary>
        public static PSObject ToStepObject(OrderedJsonObject step)
        {
            PSObject result = PSJsonConverter.ToPSCustomObject(step)!;
            PSJsonConverter.TypeTimestamp(result, "timestamp");
            result.TypeNames.Insert(0, StepTypeName);
            return result;
        }
    }
}
