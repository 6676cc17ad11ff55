using System.Linq;
using Xunit;

namespace AgentState.Tests.Contract
{
    /// <summary>Write-AtomicFile's signature as the foundation issue declares it.</summary>
    public sealed class WriteAtomicFileContractTests
    {
        private static readonly DeclaredCmdlet Cmdlet = CmdletContract.Get("Write-AtomicFile");

        [Fact]
        public void Has_the_four_path_and_content_parameter_sets_with_PathValue_by_default()
        {
            Assert.Equal(new[] { "LiteralPathBytes", "LiteralPathValue", "PathBytes", "PathValue" }, Cmdlet.ParameterSets);
            Assert.Equal("PathValue", Cmdlet.DefaultSet);
            Assert.True(Cmdlet.SupportsShouldProcess);
            Assert.Equal(new[] { "System.IO.FileInfo" }, Cmdlet.OutputTypes);
        }

        [Fact]
        public void Path_is_positional_first_and_LiteralPath_answers_to_PSPath()
        {
            var path = Cmdlet.Parameter("Path");
            Assert.Equal("String[]", path.TypeName);
            Assert.All(path.Sets, s => Assert.True(s.Mandatory && s.Position == 0 && s.FromPipelineByPropertyName));

            var literal = Cmdlet.Parameter("LiteralPath");
            Assert.Equal(new[] { "PSPath", "LP" }, literal.Aliases);
            Assert.All(literal.Sets, s => Assert.True(s.Mandatory && s.Position == null && s.FromPipelineByPropertyName));
        }

        [Fact]
        public void Value_is_positional_second_and_takes_the_pipeline()
        {
            var value = Cmdlet.Parameter("Value");
            Assert.Equal("Object[]", value.TypeName);
            Assert.Equal(new[] { "LiteralPathValue", "PathValue" }, value.Sets.Select(s => s.Set).OrderBy(s => s));
            Assert.All(value.Sets, s => Assert.True(s.Mandatory && s.Position == 1 && s.FromPipeline));
        }

        [Fact]
        public void Bytes_is_mandatory_in_the_bytes_sets()
        {
            var bytes = Cmdlet.Parameter("Bytes");
            Assert.Equal("Byte[]", bytes.TypeName);
            Assert.Equal(new[] { "LiteralPathBytes", "PathBytes" }, bytes.Sets.Select(s => s.Set).OrderBy(s => s));
            Assert.All(bytes.Sets, s => Assert.True(s.Mandatory));
        }

        [Fact]
        public void The_options_have_their_types_and_encodings_their_names()
        {
            Assert.Equal("Durability", Cmdlet.Parameter("Durability").TypeName);
            Assert.Equal("ContentValidation", Cmdlet.Parameter("Validate").TypeName);
            foreach (string name in new[] { "NoNewline", "Force", "PassThru" })
            {
                Assert.Equal("SwitchParameter", Cmdlet.Parameter(name).TypeName);
            }

            // Any name, code page or Encoding object, as Set-Content: a transformation and a completer, no fixed set.
            Assert.Equal("Encoding", Cmdlet.Parameter("Encoding").TypeName);
            Assert.Empty(Cmdlet.Parameter("Encoding").ValidateSet);
            Assert.Equal(new[] { "LiteralPathValue", "PathValue" }, Cmdlet.Parameter("Encoding").Sets.Select(s => s.Set).OrderBy(s => s));
        }
    }
}
