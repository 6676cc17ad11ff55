using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Text;
using AgentState.Commands.Infrastructure;
using AgentState.IO;
using AgentState.Text;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Replaces a file's content atomically and durably.</para>
    /// <para type="description">Writes to a temp file beside the target, flushes it to disk, renames it over the target and flushes the folder: a crash or power cut leaves the old content or the new, never a mix.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Write, "AtomicFile", DefaultParameterSetName = PathValueSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FileInfo))]
    public sealed class WriteAtomicFileCommand : PSCmdlet
    {
        private const string PathValueSet = "PathValue";
        private const string PathBytesSet = "PathBytes";
        private const string LiteralPathValueSet = "LiteralPathValue";
        private const string LiteralPathBytesSet = "LiteralPathBytes";

        private readonly List<string> _order = new List<string>();
        private readonly Dictionary<string, List<object?>> _values = new Dictionary<string, List<object?>>(StringComparer.Ordinal);

        /// <summary>The file or files to write; wildcards match existing files.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathValueSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathBytesSet, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = new string[0];

        /// <summary>The file or files to write, taken exactly as typed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathValueSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathBytesSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = new string[0];

        /// <summary>The content: one line per item. Pipeline input is gathered and written once, at the end.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathValueSet, ValueFromPipeline = true)]
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = LiteralPathValueSet, ValueFromPipeline = true)]
        [AllowNull]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public object?[]? Value { get; set; }

        /// <summary>Raw bytes to write instead of text.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathBytesSet)]
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathBytesSet)]
        [AllowEmptyCollection]
        public byte[] Bytes { get; set; } = new byte[0];

        /// <summary>The text encoding, as Set-Content takes it (a name, a code page, an Encoding); UTF-8 without a byte order mark by default.</summary>
        [Parameter(ParameterSetName = PathValueSet)]
        [Parameter(ParameterSetName = LiteralPathValueSet)]
        [ArgumentToEncoding]
        [ArgumentCompleter(typeof(EncodingCompleter))]
        public Encoding Encoding { get; set; } = TextEncodings.Get(TextEncodings.DefaultName);

        /// <summary>Join the items with nothing and add no final newline.</summary>
        [Parameter(ParameterSetName = PathValueSet)]
        [Parameter(ParameterSetName = LiteralPathValueSet)]
        public SwitchParameter NoNewline { get; set; }

        /// <summary>Durable (the default) survives a power cut; Atomic only a killed process.</summary>
        [Parameter]
        public Durability Durability { get; set; } = Durability.Durable;

        /// <summary>Json refuses content that is not one valid JSON document.</summary>
        [Parameter]
        public ContentValidation Validate { get; set; } = ContentValidation.None;

        /// <summary>Create missing parent folders.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit the written file.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private bool IsLiteral => ParameterSetName == LiteralPathValueSet || ParameterSetName == LiteralPathBytesSet;

        private bool IsBytes => ParameterSetName == PathBytesSet || ParameterSetName == LiteralPathBytesSet;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var resolver = new ProviderPathResolver(this);
            foreach (string path in IsLiteral ? LiteralPath : Path)
            {
                foreach (string file in resolver.Resolve(path, IsLiteral))
                {
                    if (!_values.TryGetValue(file, out List<object?>? items))
                    {
                        items = new List<object?>();
                        _values.Add(file, items);
                        _order.Add(file);
                    }

                    if (!IsBytes && Value != null)
                    {
                        items.AddRange(Value);
                    }
                }
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var writer = new AtomicFileWriter();
            var options = new AtomicWriteOptions { Durability = Durability, Validation = Validate, CreateDirectories = Force };
            foreach (string file in _order)
            {
                if (!ShouldProcess(file, "Replace content atomically"))
                {
                    continue;
                }

                try
                {
                    if (IsBytes)
                    {
                        writer.Write(file, Bytes, options);
                    }
                    else
                    {
                        writer.WriteText(file, Join(_values[file]), Encoding, options);
                    }
                }
                catch (AtomicWriteException ex)
                {
                    WriteError(EngineErrors.For(ex, file));
                    continue;
                }

                if (PassThru)
                {
                    FileSystemItems.Write(this, file);
                }
            }
        }

        private string Join(List<object?> items)
        {
            // Like Set-Content: each item's string form, each followed by the platform's newline.
            var text = new StringBuilder();
            foreach (object? item in items)
            {
                if (item != null)
                {
                    text.Append(PSObject.AsPSObject(item).ToString());
                }

                if (!NoNewline)
                {
                    text.Append(Environment.NewLine);
                }
            }

            return text.ToString();
        }
    }
}
