using System;
using System.IO;
using System.Text;
using AgentState.IO;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>A streamed write (content a producer writes, too large to hold) with the same all-or-nothing rule.</summary>
    public sealed class AtomicStreamingWriteTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();
        private readonly AtomicFileWriter _writer = new AtomicFileWriter();

        public void Dispose() => _folder.Dispose();

        [Fact]
        public void The_result_has_the_length_the_producer_wrote()
        {
            string path = _folder.File("export.json");
            byte[] content = Encoding.UTF8.GetBytes(new string('x', 200_000)); // More than the 64 KiB buffer.

            AtomicWriteResult result = _writer.WriteStreaming(path, output => output.Write(content, 0, content.Length));

            Assert.Equal(200_000, result.Length);
            Assert.Equal(content, File.ReadAllBytes(path));
            Assert.Empty(_folder.Leftovers("export.json"));
        }

        [Fact]
        public void A_file_system_error_in_the_producer_is_a_failed_write_with_its_reason()
        {
            string path = _folder.File("export.json");
            File.WriteAllText(path, "old");

            var error = Assert.Throws<AtomicWriteException>(() => _writer.WriteStreaming(path, output =>
            {
                output.WriteByte(1);
                throw FaultyFileOperations.Errno(28, "No space left on device");
            }));

            Assert.Equal(AtomicWriteStep.Write, error.Step);
            Assert.Equal(FailureReason.DiskFull, error.Reason);
            Assert.Equal("No space left on device", error.Detail);
            Assert.Equal("old", File.ReadAllText(path));
            Assert.Empty(_folder.Leftovers("export.json"));
        }

        [Fact]
        public void A_producer_that_refuses_its_own_content_is_invalid_content_in_its_words()
        {
            string path = _folder.File("export.json");

            var error = Assert.Throws<AtomicWriteException>(() => _writer.WriteStreaming(path, _ => throw new InvalidOperationException("step 3 has no source")));

            Assert.Equal(AtomicWriteStep.ValidateContent, error.Step);
            Assert.Equal(FailureReason.InvalidContent, error.Reason);
            Assert.Equal("step 3 has no source", error.Detail);
            Assert.Empty(_folder.Leftovers());
        }
    }
}
