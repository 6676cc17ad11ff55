using System;
using System.IO;
using System.Linq;
using System.Text;
using AgentState.IO;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    public sealed class AtomicFileWriterTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();
        private readonly AtomicFileWriter _writer = new AtomicFileWriter();

        public void Dispose() => _folder.Dispose();

        [Fact]
        public void Creates_a_new_file_with_exactly_the_bytes_and_leaves_no_temp()
        {
            string path = _folder.File("state.json");
            byte[] content = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();

            AtomicWriteResult result = _writer.Write(path, content);

            Assert.Equal(content, File.ReadAllBytes(path));
            Assert.Equal(content.Length, result.Length);
            Assert.Equal(path, result.TargetPath);
            Assert.Empty(_folder.Leftovers("state.json"));
        }

        [Fact]
        public void Replaces_an_existing_file()
        {
            string path = _folder.File("STATE.md");
            File.WriteAllText(path, "old content that is longer than the new one\n");

            _writer.WriteText(path, "new\n");

            Assert.Equal("new\n", File.ReadAllText(path));
            Assert.Empty(_folder.Leftovers("STATE.md"));
        }

        [Theory]
        [InlineData("utf8", "", "68c3a9")]
        [InlineData("utf8NoBOM", "", "68c3a9")]
        [InlineData("utf8BOM", "efbbbf", "68c3a9")]
        [InlineData("utf16LE", "fffe", "6800e900")]
        [InlineData("unicode", "fffe", "6800e900")]
        [InlineData("utf16BE", "feff", "006800e9")]
        [InlineData("latin1", "", "68e9")]
        [InlineData("utf32", "fffe0000", "68000000e9000000")]
        [InlineData("bigendianutf32", "0000feff", "00000068000000e9")]
        [InlineData("windows-1252", "", "68e9")]
        [InlineData("1252", "", "68e9")]
        [InlineData("28591", "", "68e9")]
        public void Encodes_text_with_the_named_encoding(string name, string bom, string body)
        {
            System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance); // As PowerShell 7 does at startup.
            string path = _folder.File("t.txt");

            _writer.WriteText(path, "hé", Text.TextEncodings.Get(name));

            Assert.Equal(bom + body, Convert.ToHexString(File.ReadAllBytes(path)).ToLowerInvariant());
        }

        [Fact]
        public void Refuses_text_the_encoding_cannot_represent_and_changes_nothing()
        {
            string path = _folder.File("t.txt");
            File.WriteAllText(path, "before");

            var error = Assert.Throws<AtomicWriteException>(() => _writer.WriteText(path, "naïve", Text.TextEncodings.Get("ascii")));

            Assert.Equal(AtomicWriteStep.ValidateContent, error.Step);
            Assert.Equal(FailureReason.InvalidContent, error.Reason);
            Assert.Contains(path, error.Message);
            Assert.Equal("before", File.ReadAllText(path));
            Assert.Empty(_folder.Leftovers("t.txt"));
        }

        [Fact]
        public void An_encoding_object_is_made_strict_and_keeps_its_byte_order_mark()
        {
            string path = _folder.File("t.txt");

            Assert.Throws<AtomicWriteException>(() => _writer.WriteText(path, "naïve", Text.TextEncodings.Strict(Encoding.ASCII)));
            _writer.WriteText(path, "h", Text.TextEncodings.Strict(Encoding.UTF8));

            Assert.Equal("efbbbf68", Convert.ToHexString(File.ReadAllBytes(path)).ToLowerInvariant());
        }

        [Fact]
        public void Refuses_a_lone_surrogate_rather_than_writing_a_replacement_character()
        {
            string path = _folder.File("t.txt");

            var error = Assert.Throws<AtomicWriteException>(() => _writer.WriteText(path, "a\uD800b"));

            Assert.Equal(FailureReason.InvalidContent, error.Reason);
            Assert.False(File.Exists(path));
        }

        [Fact]
        public void Unknown_encoding_names_list_the_accepted_ones()
        {
            var error = Assert.ThrowsAny<ArgumentException>(() => Text.TextEncodings.Get("ebcdic"));

            Assert.Contains("ebcdic", error.Message);
            Assert.Contains("utf8BOM", error.Message);
        }

        [Theory]
        [InlineData("{\"a\":1")]
        [InlineData("{\"a\":1} {\"b\":2}")]
        [InlineData("")]
        [InlineData("{'a':1}")]
        [InlineData("[1,2,]")]
        public void Json_validation_refuses_anything_but_one_document_and_changes_nothing(string text)
        {
            string path = _folder.File("h.json");
            File.WriteAllText(path, "{\"kept\":true}");
            var options = new AtomicWriteOptions { Validation = ContentValidation.Json };

            var error = Assert.Throws<AtomicWriteException>(() => _writer.WriteText(path, text, null, options));
            var bytesError = Assert.Throws<AtomicWriteException>(() => _writer.Write(path, Encoding.UTF8.GetBytes(text), options));

            Assert.Equal(AtomicWriteStep.ValidateContent, error.Step);
            Assert.Equal(FailureReason.InvalidContent, bytesError.Reason);
            Assert.Contains("not valid JSON", error.Message);
            Assert.Equal("{\"kept\":true}", File.ReadAllText(path));
            Assert.Empty(_folder.Leftovers("h.json"));
        }

        [Fact]
        public void Json_validation_accepts_documents_nested_far_deeper_than_64_levels()
        {
            string path = _folder.File("deep.json");
            string deep = new string('[', 500) + "1" + new string(']', 500);

            _writer.WriteText(path, deep, null, new AtomicWriteOptions { Validation = ContentValidation.Json });

            Assert.Equal(deep, File.ReadAllText(path));
        }

        [Fact]
        public void A_missing_folder_is_an_error_unless_asked_to_create_it()
        {
            string path = Path.Combine(_folder.Path, "a", "b", "state.json");

            var error = Assert.Throws<AtomicWriteException>(() => _writer.WriteText(path, "{}"));
            Assert.Equal(FailureReason.MissingFolder, error.Reason);
            Assert.False(Directory.Exists(Path.Combine(_folder.Path, "a")));

            _writer.WriteText(path, "{}", null, new AtomicWriteOptions { CreateDirectories = true });
            Assert.Equal("{}", File.ReadAllText(path));
        }

        [Fact]
        public void A_directory_as_target_is_an_error_that_says_so()
        {
            string path = _folder.File("sub");
            Directory.CreateDirectory(path);

            var error = Assert.Throws<AtomicWriteException>(() => _writer.WriteText(path, "x"));

            Assert.Equal(FailureReason.IsDirectory, error.Reason);
            Assert.Contains("is a directory", error.Message);
            Assert.True(Directory.Exists(path));
            Assert.Empty(_folder.Leftovers("sub"));
        }

        [Fact]
        public void Keeps_the_targets_permission_bits()
        {
            string path = _folder.File("secret.json");
            File.WriteAllText(path, "{}");
            var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
            File.SetUnixFileMode(path, mode);

            _writer.WriteText(path, "{\"k\":1}");

            Assert.Equal(mode, File.GetUnixFileMode(path));
        }

        [Fact]
        public void Keeps_a_read_only_targets_mode_too()
        {
            string path = _folder.File("ro.txt");
            File.WriteAllText(path, "old");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.OtherRead);

            _writer.WriteText(path, "new");

            Assert.Equal("new", File.ReadAllText(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
        }

        [RootFact]
        public void Keeps_the_targets_owner_when_running_as_root()
        {
            string path = _folder.File("owned.json");
            File.WriteAllText(path, "{}");
            Unix.Run("chown", "1234:5678", path);

            _writer.WriteText(path, "{\"v\":2}");

            Assert.Equal("1234:5678", Unix.Run("stat", "-c", "%u:%g", path));
        }

        [Fact]
        public void Writes_through_a_symbolic_link_and_the_link_stays_a_link()
        {
            Directory.CreateDirectory(_folder.File("real"));
            string real = Path.Combine(_folder.Path, "real", "data.json");
            File.WriteAllText(real, "old");
            string link = _folder.File("data.json");
            File.CreateSymbolicLink(link, Path.Combine("real", "data.json"));

            AtomicWriteResult result = _writer.WriteText(link, "new");

            Assert.Equal("new", File.ReadAllText(real));
            Assert.Equal(Path.Combine("real", "data.json"), new FileInfo(link).LinkTarget);
            Assert.Equal(real, result.TargetPath);
            Assert.Equal(new[] { real }, Directory.EnumerateFiles(Path.Combine(_folder.Path, "real")).ToArray());
        }

        [Fact]
        public void Follows_a_chain_of_links_and_creates_the_file_a_dangling_link_names()
        {
            string real = _folder.File("final.txt");
            File.CreateSymbolicLink(_folder.File("middle"), real);
            File.CreateSymbolicLink(_folder.File("first"), "middle");

            _writer.WriteText(_folder.File("first"), "through two links");

            Assert.Equal("through two links", File.ReadAllText(real));
            Assert.NotNull(new FileInfo(_folder.File("first")).LinkTarget);
            Assert.NotNull(new FileInfo(_folder.File("middle")).LinkTarget);
        }

        [Fact]
        public void A_link_loop_is_an_error_not_a_hang()
        {
            File.CreateSymbolicLink(_folder.File("a"), "b");
            File.CreateSymbolicLink(_folder.File("b"), "a");

            var error = Assert.Throws<AtomicWriteException>(() => _writer.WriteText(_folder.File("a"), "x"));

            Assert.Equal(AtomicWriteStep.ResolveTarget, error.Step);
        }

        [Fact]
        public void Creating_a_temp_file_never_follows_a_planted_link()
        {
            string victim = _folder.File("victim.txt");
            string planted = _folder.File("state.json.tmp.1.planted");
            File.CreateSymbolicLink(planted, victim);

            Assert.ThrowsAny<IOException>(() => SystemFileOperations.Instance.CreateNew(planted).Dispose());

            Assert.False(File.Exists(victim));
        }

        [Fact]
        public void Temp_files_are_named_after_the_target_the_pid_and_a_random_part()
        {
            var files = new FaultyFileOperations { FailOn = nameof(IFileOperations.Replace) };
            string path = _folder.File("state.json");
            for (int i = 0; i < 3; i++)
            {
                var error = Assert.Throws<AtomicWriteException>(() => new AtomicFileWriter(files).WriteText(path, "x"));
                Assert.Equal(AtomicWriteStep.Rename, error.Step);
            }

            Assert.Equal(3, files.Created.Count);
            Assert.Equal(3, files.Created.Distinct().Count());
            foreach (string temp in files.Created)
            {
                Assert.Equal(_folder.Path, Path.GetDirectoryName(temp));
                Assert.Matches(@"^state\.json\.tmp\." + Environment.ProcessId + @"\.[a-z0-9]{10}$", Path.GetFileName(temp));
                Assert.True(TempFileName.TryParse(Path.GetFileName(temp), out TempFileName? parsed));
                Assert.Equal("state.json", parsed!.TargetName);
                Assert.Equal(Environment.ProcessId, parsed.ProcessId);
            }
        }

        [Theory]
        [InlineData("agent-history.json.tmp.4242", "agent-history.json", 4242, null)]
        [InlineData("a.tmp.b.json.tmp.17.k3j4h5g6f7", "a.tmp.b.json", 17, "k3j4h5g6f7")]
        public void Parses_both_temp_name_forms(string fileName, string target, int pid, string? random)
        {
            Assert.True(TempFileName.TryParse(fileName, out TempFileName? parsed));
            Assert.Equal(target, parsed!.TargetName);
            Assert.Equal(pid, parsed.ProcessId);
            Assert.Equal(random, parsed.RandomPart);
        }

        [Theory]
        [InlineData("notes.txt")]
        [InlineData("x.tmp.")]
        [InlineData("x.tmp.abc")]
        [InlineData("x.tmp.0")]
        public void Other_names_are_not_temp_names(string fileName)
        {
            Assert.False(TempFileName.TryParse(fileName, out _));
        }
    }
}
