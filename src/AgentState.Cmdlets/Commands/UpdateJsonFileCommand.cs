using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Management.Automation;
using AgentState.Commands.Infrastructure;
using AgentState.IO;
using AgentState.Json;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Changes a JSON file with a script block, under the file's lock, and replaces it atomically.</para>
    /// <para type="description">The script block gets the document as $_ and may change it in place or return a new one. Key order, unknown fields and number formatting survive; concurrent updaters in any number of processes lose nothing.</para>
    /// </summary>
    [Cmdlet(VerbsData.Update, "JsonFile", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PSObject))]
    public sealed class UpdateJsonFileCommand : PSCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>The JSON file; wildcards match existing files.</summary>
        /// <remarks>
        /// Not from the pipeline: a pipeline-bound -Path at position 0 would take a positional script block as a
        /// delay-bind script block. Piped files bind to -LiteralPath through PSPath, as with Remove-Item.
        /// </remarks>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>The JSON file, exactly as typed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string LiteralPath { get; set; } = string.Empty;

        /// <summary>Changes $_, the document, or returns the new document.</summary>
        /// <remarks>
        /// Second after -Path, first with -LiteralPath: so that <c>Get-ChildItem *.json | Update-JsonFile { ... }</c>
        /// binds the script block here and the piped files to -LiteralPath.
        /// </remarks>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathSet)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = LiteralPathSet)]
        public ScriptBlock ScriptBlock { get; set; } = ScriptBlock.Create(string.Empty);

        /// <summary>The deepest nesting the new document may have (1 to 1000); deeper is an error, never a silent cut.</summary>
        [Parameter]
        [ValidateRange(1, JsonTreeReader.MaxDepth)]
        public int Depth { get; set; } = JsonTreeReader.MaxDepth;

        /// <summary>How long to wait for another updater to finish: seconds, or a time span. 10 seconds by default.</summary>
        [Parameter]
        [SecondsToTimeSpan]
        public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Start from an empty object when the file is missing, creating missing folders.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit the new document.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string file in new ProviderPathResolver(this).Resolve(literal ? LiteralPath : Path, literal))
            {
                if (ShouldProcess(file, "Update JSON document"))
                {
                    Update(file);
                }
            }
        }

        private void Update(string file)
        {
            JsonFileUpdateResult result;
            try
            {
                var options = new AtomicWriteOptions { CreateDirectories = Force };
                result = new JsonFileUpdater().Update(file, RunScriptBlock, Force, Depth, options, LockTimeout);
            }
            catch (RuntimeException ex) when (!(ex is PipelineStoppedException))
            {
                var record = new ErrorRecord(ex, "ScriptBlockFailed", ErrorCategory.InvalidOperation, file)
                {
                    ErrorDetails = new ErrorDetails($"The script block failed while updating '{file}': {ex.Message} The file was left as it is."),
                };
                WriteError(record);
                return;
            }
            catch (Exception ex) when (EngineErrors.For(ex, file) is ErrorRecord record)
            {
                WriteError(record);
                return;
            }

            WriteVerbose(result.Changed ? $"Updated '{file}'." : $"'{file}' is unchanged: the new document is the old one.");
            if (PassThru)
            {
                WriteObject(PSJsonConverter.ToPowerShell(result.Document));
            }
        }

        private object? RunScriptBlock(object? root)
        {
            object? document = PSJsonConverter.ToPowerShell(root);
            Collection<PSObject> output = ScriptBlock.InvokeWithContext(null, new List<PSVariable> { new PSVariable("_", document) }, document);
            if (output.Count > 1)
            {
                throw new RuntimeException($"The script block returned {output.Count} objects; return one document, or nothing to keep the changed $_. Pipe to Out-Null whatever should not be returned.");
            }

            return PSJsonConverter.FromPowerShell(output.Count == 1 ? output[0] : document);
        }
    }
}
