using System;
using System.IO;
using System.Text;
using AgentState.IO;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>What the atomic writer refuses before it makes a temp file, and the words it uses to say why.</summary>
    public sealed class AtomicWriteRefusalTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();
        private readonly AtomicFileWriter _writer = new AtomicFileWriter();

        public void Dispose() => _folder.Dispose();

        [Fact]
        public void A_null_text_or_content_or_an_empty_path_is_a_programming_error_not_a_write_failure()
        {
            string path = _folder.File("a.json");

            Assert.Equal("text", Assert.Throws<ArgumentNullException>(() => _writer.WriteText(path, null!)).ParamName);
            Assert.Equal("content", Assert.Throws<ArgumentNullException>(() => _writer.Write(path, null!)).ParamName);
            // ArgumentException exactly: an AtomicWriteException (an IOException) would tell the caller the disk was at fault.
            var empty = Assert.Throws<ArgumentException>(() => _writer.Write(string.Empty, new byte[] { 1 }));
            Assert.Equal("path", empty.ParamName);
            Assert.StartsWith("The path is empty.", empty.Message);
            Assert.Empty(_folder.Leftovers());
        }

        [Fact]
        public void Text_an_encoding_cannot_represent_names_the_encoding()
        {
            string path = _folder.File("t.txt");

            var named = Assert.Throws<AtomicWriteException>(() => _writer.WriteText(path, "naïve", Text.TextEncodings.Get("ascii")));
            // No encoding given means UTF-8, which refuses only a lone surrogate.
            var utf8 = Assert.Throws<AtomicWriteException>(() => _writer.WriteText(path, "a\ud800b"));

            Assert.Contains("the text has a character that us-ascii cannot represent: ", named.Detail);
            Assert.Contains("the text has a character that utf-8 cannot represent: ", utf8.Detail);
            Assert.False(File.Exists(path));
        }

        [Fact]
        public void A_link_refused_as_a_target_is_named_with_where_it_points()
        {
            string path = _folder.File("state.json");
            File.CreateSymbolicLink(path, _folder.File("elsewhere.json"));

            var error = Assert.Throws<AtomicWriteException>(() => _writer.WriteText(path, "{}", null, new AtomicWriteOptions { FollowLinks = false }));

            Assert.Equal(FailureReason.UnsafePath, error.Reason);
            Assert.StartsWith($"'{path}' is a symbolic link", error.Detail);
            var unsafePath = Assert.IsType<UnsafePathException>(error.InnerException);
            Assert.Equal(path, unsafePath.Path);
            Assert.Equal("file", unsafePath.Role);
            Assert.False(File.Exists(_folder.File("elsewhere.json")));
        }

        [Fact]
        public void A_folder_as_target_and_a_missing_folder_are_named_in_the_detail()
        {
            string sub = _folder.File("sub");
            Directory.CreateDirectory(sub);
            string deep = Path.Combine(_folder.Path, "missing", "state.json");

            var folder = Assert.Throws<AtomicWriteException>(() => _writer.WriteText(sub, "x"));
            var missing = Assert.Throws<AtomicWriteException>(() => _writer.WriteText(deep, "x"));

            Assert.Equal($"'{sub}' is a folder", folder.Detail);
            Assert.Equal($"'{Path.Combine(_folder.Path, "missing")}' does not exist; ask to create missing folders", missing.Detail);
        }

        [Fact]
        public void A_link_loop_says_so_and_names_the_path()
        {
            string a = _folder.File("a");
            File.CreateSymbolicLink(a, "b");
            File.CreateSymbolicLink(_folder.File("b"), "a");

            var error = Assert.Throws<IOException>(() => SystemFileOperations.Instance.ResolveLinks(a));

            Assert.Equal($"Too many levels of symbolic links: '{a}'", error.Message);
        }

        [Fact]
        public void A_temp_that_was_never_created_is_not_removed()
        {
            string path = _folder.File("a.json");
            File.WriteAllText(path, "old");
            var files = new FaultyFileOperations { FailOn = nameof(IFileOperations.CreateNew), Failure = FaultyFileOperations.Errno(28, "No space left on device"), FailDelete = true };

            var error = Assert.Throws<AtomicWriteException>(() => new AtomicFileWriter(files).WriteText(path, "new"));

            Assert.Equal(AtomicWriteStep.CreateTemp, error.Step);
            Assert.Equal("No space left on device", error.Detail);
            Assert.DoesNotContain(nameof(IFileOperations.DeleteFile), files.Calls);
            Assert.Equal("old", File.ReadAllText(path));
        }

        [Fact]
        public void A_temp_that_cannot_be_removed_is_added_to_the_failures_own_detail()
        {
            string path = _folder.File("a.json");
            File.WriteAllText(path, "old");
            var files = new FaultyFileOperations { FailOn = nameof(IFileOperations.Replace), Failure = FaultyFileOperations.Errno(30, "Read-only file system"), FailDelete = true };

            var error = Assert.Throws<AtomicWriteException>(() => new AtomicFileWriter(files).WriteText(path, "new"));

            string temp = Assert.Single(files.Created);
            Assert.Equal($"Read-only file system; the temp file '{temp}' could not be removed: Access to the path '{temp}' is denied.", error.Detail);
            Assert.Equal(AtomicWriteStep.Rename, error.Step);
            Assert.Equal(FailureReason.ReadOnlyFileSystem, error.Reason);
            Assert.IsType<IOException>(error.InnerException);
        }
    }
}
