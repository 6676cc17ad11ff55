using System;
using System.IO;
using System.Management.Automation;
using System.Text;
using AgentState.Commands.Infrastructure;
using AgentState.Trajectories;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Exports a trajectory as one ATIF document (no null fields) that Harbor's validator accepts: to a file with the atomic replace, or as JSON text.</para>
    /// </summary>
    [Cmdlet(VerbsData.Export, "Trajectory", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(string), typeof(FileInfo))]
    public sealed class ExportTrajectoryCommand : TrajectoryReadingCommand
    {
        /// <summary>The file to write; without it the document is emitted as a string.</summary>
        [Parameter(Position = 1)]
        public string? Destination { get; set; }

        /// <summary>Create the destination's missing folders.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write this schema_version instead of the trajectory's own.</summary>
        [Parameter]
        [ValidateSet("ATIF-v1.0", "ATIF-v1.1", "ATIF-v1.2", "ATIF-v1.3", "ATIF-v1.4", "ATIF-v1.5", "ATIF-v1.6", "ATIF-v1.7")]
        public string? SchemaVersion { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (string file in Targets())
            {
                try
                {
                    if (Destination == null)
                    {
                        using (var buffer = new MemoryStream())
                        {
                            TrajectoryExporter.Export(file, buffer, SchemaVersion);
                            WriteObject(Encoding.UTF8.GetString(buffer.ToArray()).TrimEnd('\n'));
                        }

                        continue;
                    }

                    string? destination = new ProviderPathResolver(this).ResolveFolder(Destination);
                    if (destination != null && ShouldProcess(destination, $"Export '{file}' as one ATIF document"))
                    {
                        TrajectoryExporter.ExportToFile(file, destination, SchemaVersion, new AgentState.IO.AtomicWriteOptions { CreateDirectories = Force });
                        FileSystemItems.Write(this, destination);
                    }
                }
                catch (Exception ex) when (EngineErrors.For(ex, file) is ErrorRecord error)
                {
                    WriteError(error);
                }
            }
        }
    }
}
