using System.Management.Automation;
using AgentState.Queue;

namespace AgentState.Commands.Infrastructure
{
    /// <summary>Opens the queue a work-item cmdlet uses: -Queue through the provider, else $env:AGENTSTATE_QUEUE, else ./.agentstate/queue under $PWD.</summary>
    internal static class WorkQueueResolver
    {
        /// <summary>The queue; null after a non-terminating error when -Queue is not a file-system path.</summary>
        public static FolderWorkQueue? Open(PSCmdlet cmdlet, string? queue)
        {
            string current = cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath;
            string? folder = string.IsNullOrEmpty(queue) ? FolderWorkQueue.DefaultPath(current) : new ProviderPathResolver(cmdlet).ResolveFolder(queue!);
            return folder == null ? null : new FolderWorkQueue(folder);
        }
    }
}
