using System.Management.Automation;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>
    /// Emits a file the way Get-Item does: through the FileSystem provider, so that the FileInfo carries PSPath,
    /// PSParentPath, PSProvider and the rest, binds to -LiteralPath downstream and shows in the FileSystem view.
    /// A bare FileInfo has none of them.
    /// </summary>
    internal static class FileSystemItems
    {
        private const string ProviderQualifier = "Microsoft.PowerShell.Core\\FileSystem::";

        public static void Write(PSCmdlet cmdlet, string fullPath)
        {
            try
            {
                foreach (PSObject item in cmdlet.SessionState.InvokeProvider.Item.Get(new[] { ProviderQualifier + fullPath }, true, true))
                {
                    cmdlet.WriteObject(item);
                }
            }
            catch (RuntimeException ex) when (!(ex is PipelineStoppedException))
            {
                cmdlet.WriteError(ex.ErrorRecord); // Removed between the write and the look-up: say so, as Get-Item would.
            }
        }
    }
}
