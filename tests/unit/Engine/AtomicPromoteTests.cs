using System;
using System.IO;
using System.Linq;
using AgentState.IO;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>Promoting an orphaned temp keeps the writer's durability rules: flush it, rename it, flush the folder.</summary>
    public sealed class AtomicPromoteTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();

        public void Dispose() => _folder.Dispose();

        [Fact]
        public void A_promoted_temp_is_flushed_before_the_rename_and_the_folder_after_it()
        {
            string target = _folder.File("state.json");
            string temp = _folder.File("state.json.tmp.4242.abcdef01");
            File.WriteAllText(temp, "{\"v\":2}");
            var files = new FaultyFileOperations();

            AtomicWriteResult result = new AtomicFileWriter(files).Promote(temp, target);

            Assert.Equal(new[] { "FlushToDisk", "Replace", "FlushDirectory" }, files.Calls.ToArray());
            Assert.Equal(7, result.Length);
            Assert.Equal("{\"v\":2}", File.ReadAllText(target));
            Assert.False(File.Exists(temp));
        }

        [Fact]
        public void A_failed_folder_flush_after_a_promotion_says_the_content_is_in_place()
        {
            string target = _folder.File("state.json");
            string temp = _folder.File("state.json.tmp.4242.abcdef01");
            File.WriteAllText(target, "old");
            File.WriteAllText(temp, "new");
            var files = new FaultyFileOperations { FailOn = nameof(IFileOperations.FlushDirectory), Failure = FaultyFileOperations.Errno(30, "Read-only file system") };

            var error = Assert.Throws<AtomicWriteException>(() => new AtomicFileWriter(files).Promote(temp, target));

            Assert.Equal(AtomicWriteStep.SyncFolder, error.Step);
            Assert.Equal(FailureReason.ReadOnlyFileSystem, error.Reason);
            Assert.True(error.TargetReplaced);
            Assert.Equal(target, error.Path);
            Assert.Contains("may not survive a power cut", error.Message);
            Assert.Equal("new", File.ReadAllText(target));
        }

        [Fact]
        public void A_temp_swapped_for_a_link_is_refused_as_the_temp_file_and_the_target_is_unchanged()
        {
            string target = _folder.File("state.json");
            string temp = _folder.File("state.json.tmp.4242.abcdef01");
            File.WriteAllText(target, "old");
            File.WriteAllText(_folder.File("planted"), "planted");
            File.CreateSymbolicLink(temp, _folder.File("planted"));
            var files = new FaultyFileOperations();

            var error = Assert.Throws<AtomicWriteException>(() => new AtomicFileWriter(files).Promote(temp, target));

            Assert.Equal(AtomicWriteStep.Flush, error.Step);
            var refused = Assert.IsType<UnsafePathException>(error.InnerException);
            Assert.Equal("temp file", refused.Role);
            Assert.Empty(files.Calls);
            Assert.Equal("old", File.ReadAllText(target));
        }
    }
}
