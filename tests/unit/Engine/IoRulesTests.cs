using System;
using System.IO;
using AgentState.IO;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>The pure rules of the IO layer, each boundary on both sides: names, temp names, failure reasons and messages.</summary>
    public sealed class IoRulesTests
    {
        [Theory]
        [InlineData("azAZ09._-")]
        [InlineData("COM0")]
        [InlineData("COMX")]
        [InlineData("COM10")]
        [InlineData("LPTA")]
        [InlineData("CONSOLE")]
        [InlineData("a.CON")]
        public void Names_made_of_the_allowed_characters_that_are_no_device_pass(string name)
        {
            Assert.Null(FileNameRules.FindViolation(name));
            Assert.Equal(name, FileNameRules.Validate(name, "agent id"));
        }

        [Theory]
        [InlineData(null, "it is empty")]
        [InlineData("", "it is empty")]
        [InlineData("a`", "it contains '`'; only letters, digits, '.', '_' and '-' are allowed")]
        [InlineData("a{", "it contains '{'; only letters, digits, '.', '_' and '-' are allowed")]
        [InlineData("a@", "it contains '@'; only letters, digits, '.', '_' and '-' are allowed")]
        [InlineData("a[", "it contains '['; only letters, digits, '.', '_' and '-' are allowed")]
        [InlineData("a/", "it contains '/'; only letters, digits, '.', '_' and '-' are allowed")]
        [InlineData("a:", "it contains ':'; only letters, digits, '.', '_' and '-' are allowed")]
        [InlineData("a\tb", "it contains U+0009; only letters, digits, '.', '_' and '-' are allowed")]
        [InlineData("a\u00A0b", "it contains U+00A0; only letters, digits, '.', '_' and '-' are allowed")]
        [InlineData("é", "it contains 'é'; only letters, digits, '.', '_' and '-' are allowed")]
        [InlineData(".a", "it starts with a dot")]
        [InlineData("a.", "it ends with a dot, which Windows drops from file names")]
        [InlineData("con", "'CON' is a device name that Windows reserves")]
        [InlineData("Prn.txt", "'PRN' is a device name that Windows reserves")]
        [InlineData("aux", "'AUX' is a device name that Windows reserves")]
        [InlineData("NUL", "'NUL' is a device name that Windows reserves")]
        [InlineData("com1", "'COM1' is a device name that Windows reserves")]
        [InlineData("COM9.log", "'COM9' is a device name that Windows reserves")]
        [InlineData("lpt1", "'LPT1' is a device name that Windows reserves")]
        [InlineData("LPT9", "'LPT9' is a device name that Windows reserves")]
        public void Each_broken_rule_is_named(string? name, string violation)
        {
            Assert.Equal(violation, FileNameRules.FindViolation(name));

            var error = Assert.Throws<InvalidInputException>(() => FileNameRules.Validate(name, "session id"));

            Assert.Equal($"'{name}' is not a valid session id: {violation}.", error.Message);
            Assert.Equal("sessionid", error.ParamName);
        }

        [Fact]
        public void A_four_character_stem_ending_in_a_digit_is_a_device_only_for_com_and_lpt()
        {
            Assert.Null(FileNameRules.FindViolation("abc1"));
            Assert.Null(FileNameRules.FindViolation("abc1.json"));
            Assert.NotNull(FileNameRules.FindViolation("com1"));
            Assert.NotNull(FileNameRules.FindViolation("LPT9.txt"));
        }

        [Fact]
        public void The_length_limit_is_128_characters()
        {
            Assert.Null(FileNameRules.FindViolation(new string('a', 128)));
            Assert.Equal("it is 129 characters long; at most 128 are allowed", FileNameRules.FindViolation(new string('a', 129)));
        }

        [Theory]
        [InlineData("a.tmp.1234567890", 1234567890, null)]
        [InlineData("a.tmp.2147483647", 2147483647, null)]
        [InlineData("a.tmp.7.abcdefghijklmnopqrstuvwxyz012345", 7, "abcdefghijklmnopqrstuvwxyz012345")]
        [InlineData("a.tmp.7.Az09", 7, "Az09")]
        [InlineData("a.tmp.7.z", 7, "z")]
        [InlineData(".tmp.x.tmp.7", 7, null)]
        public void Temp_names_at_the_limits_parse(string fileName, int pid, string? random)
        {
            Assert.True(TempFileName.TryParse(fileName, out TempFileName? parsed));
            Assert.Equal(pid, parsed!.ProcessId);
            Assert.Equal(random, parsed.RandomPart);
            Assert.Equal(fileName.Substring(0, fileName.LastIndexOf(".tmp.", StringComparison.Ordinal)), parsed.TargetName);
        }

        [Theory]
        [InlineData("a.tmp.12345678901")]
        [InlineData("a.tmp.2147483648")]
        [InlineData("a.tmp.7.abcdefghijklmnopqrstuvwxyz0123456")]
        [InlineData("a.tmp.7.")]
        [InlineData("a.tmp.7.ab-c")]
        [InlineData("a.tmp.7.ab{")]
        [InlineData("a.tmp.7.abé")]
        [InlineData("a.tmp.7.a\u0663")]
        [InlineData("a.tmp.-7")]
        [InlineData("a.tmp. 7")]
        [InlineData("a.tmp.\u0663")]
        [InlineData(".tmp.7")]
        [InlineData(".tmp.7.abc")]
        public void Temp_names_past_the_limits_do_not(string fileName)
        {
            Assert.False(TempFileName.TryParse(fileName, out TempFileName? parsed));
            Assert.Null(parsed);
        }

        [Fact]
        public void A_created_temp_name_parses_back_to_its_parts()
        {
            string name = TempFileName.Create("state.json", 31337);

            Assert.Matches(@"^state\.json\.tmp\.31337\.[a-z0-9]{10}$", name);
            Assert.True(TempFileName.TryParse(name, out TempFileName? parsed));
            Assert.Equal("state.json", parsed!.TargetName);
            Assert.Equal(31337, parsed.ProcessId);
            Assert.Equal(name.Substring(name.Length - 10), parsed.RandomPart);
        }

        [Theory]
        [InlineData(39, FailureReason.DiskFull)]
        [InlineData(112, FailureReason.DiskFull)]
        [InlineData(1295, FailureReason.DiskFull)]
        [InlineData(5, FailureReason.AccessDenied)]
        [InlineData(19, FailureReason.ReadOnlyFileSystem)]
        [InlineData(32, FailureReason.SharingViolation)]
        [InlineData(33, FailureReason.SharingViolation)]
        [InlineData(3, FailureReason.MissingFolder)]
        [InlineData(2, FailureReason.MissingFolder)]
        [InlineData(267, FailureReason.IsDirectory)]
        [InlineData(123, FailureReason.InvalidPath)]
        [InlineData(206, FailureReason.InvalidPath)]
        [InlineData(28, FailureReason.Other)]
        [InlineData(0, FailureReason.Other)]
        public void Win32_codes_are_classified(int code, FailureReason reason)
        {
            Assert.Equal(reason, OsFailure.ClassifyWin32(code));
            Assert.Equal(reason, OsFailure.Classify(new IOException("x", unchecked((int)0x80070000) | code)));
        }

        [Theory]
        [InlineData(28, FailureReason.DiskFull)]
        [InlineData(1, FailureReason.AccessDenied)]
        [InlineData(13, FailureReason.AccessDenied)]
        [InlineData(30, FailureReason.ReadOnlyFileSystem)]
        [InlineData(21, FailureReason.IsDirectory)]
        [InlineData(2, FailureReason.MissingFolder)]
        [InlineData(20, FailureReason.MissingFolder)]
        [InlineData(36, FailureReason.InvalidPath)]
        [InlineData(122, FailureReason.DiskFull)]
        [InlineData(11, FailureReason.SharingViolation)]
        [InlineData(63, FailureReason.Other)]
        [InlineData(69, FailureReason.Other)]
        [InlineData(35, FailureReason.Other)]
        [InlineData(4095, FailureReason.Other)]
        public void Linux_errno_values_are_classified(int errno, FailureReason reason)
        {
            Assert.Equal(reason, OsFailure.ClassifyErrno(errno));
            Assert.Equal(reason, OsFailure.Classify(new IOException("x", errno)));
        }

        [Fact]
        public void Exceptions_are_classified_by_type_then_by_code_then_by_their_cause()
        {
            Assert.Equal(FailureReason.Other, OsFailure.Classify(null!));
            Assert.Equal(FailureReason.UnsafePath, OsFailure.Classify(new UnsafePathException("/p", "lock file", "a symbolic link")));
            Assert.Equal(FailureReason.AccessDenied, OsFailure.Classify(new UnauthorizedAccessException()));
            Assert.Equal(FailureReason.MissingFolder, OsFailure.Classify(new DirectoryNotFoundException()));
            Assert.Equal(FailureReason.InvalidPath, OsFailure.Classify(new PathTooLongException()));
            Assert.Equal(FailureReason.InvalidPath, OsFailure.Classify(new ArgumentException()));
            Assert.Equal(FailureReason.InvalidPath, OsFailure.Classify(new NotSupportedException()));

            // 4096 is past the errno range and no Win32 code; an errno's cause decides, else Other.
            Assert.Equal(FailureReason.Other, OsFailure.Classify(new IOException("x", 4096)));
            Assert.Equal(FailureReason.Other, OsFailure.Classify(new IOException("x", 0)));
            Assert.Equal(FailureReason.Other, OsFailure.Classify(new IOException("x", unchecked((int)0x80080070))));
            Assert.Equal(FailureReason.DiskFull, OsFailure.Classify(new IOException("outer", new IOException("inner", 28))));
            Assert.Equal(FailureReason.Other, OsFailure.Classify(new IOException("outer", new IOException("inner"))));
        }

        [Theory]
        [InlineData(FailureReason.DiskFull, "the disk is full")]
        [InlineData(FailureReason.AccessDenied, "access is denied")]
        [InlineData(FailureReason.ReadOnlyFileSystem, "the file system is read-only")]
        [InlineData(FailureReason.IsDirectory, "the path is a directory")]
        [InlineData(FailureReason.MissingFolder, "the folder does not exist")]
        [InlineData(FailureReason.SharingViolation, "another process is using the file")]
        [InlineData(FailureReason.InvalidContent, "the content is invalid")]
        [InlineData(FailureReason.InvalidPath, "the path is invalid")]
        [InlineData(FailureReason.UnsafePath, "the path is a link where AgentState keeps its own file")]
        [InlineData(FailureReason.Other, "the operating system reported an error")]
        public void Each_reason_has_its_words(FailureReason reason, string words)
        {
            Assert.Equal(words, OsFailure.Describe(reason));
        }

        [Theory]
        [InlineData(AtomicWriteStep.ValidateContent, "validate content")]
        [InlineData(AtomicWriteStep.ResolveTarget, "resolve target")]
        [InlineData(AtomicWriteStep.CreateFolder, "create folder")]
        [InlineData(AtomicWriteStep.CreateTemp, "create temp file")]
        [InlineData(AtomicWriteStep.CopyPermissions, "copy permissions")]
        [InlineData(AtomicWriteStep.Write, "write")]
        [InlineData(AtomicWriteStep.Flush, "flush")]
        [InlineData(AtomicWriteStep.Rename, "rename")]
        [InlineData(AtomicWriteStep.SyncFolder, "sync folder")]
        [InlineData((AtomicWriteStep)42, "42")]
        public void Each_step_has_its_words(AtomicWriteStep step, string words)
        {
            Assert.Equal(words, AtomicWriteException.DescribeStep(step));
        }

        [Fact]
        public void A_write_failure_message_says_the_file_the_step_the_reason_the_detail_and_the_state_left()
        {
            var inner = new IOException("No space left on device", 28);
            var withDetail = new AtomicWriteException("/w/a.json", AtomicWriteStep.Write, FailureReason.DiskFull, "No space left on device...", inner);
            var noDetail = new AtomicWriteException("/w/a.json", AtomicWriteStep.Rename, FailureReason.Other, "", null);
            var nullDetail = new AtomicWriteException("/w/a.json", AtomicWriteStep.Flush, FailureReason.Other, null, null);
            var replaced = new AtomicWriteException("/w/a.json", AtomicWriteStep.SyncFolder, FailureReason.AccessDenied, "denied", null, targetReplaced: true);

            Assert.Equal("Cannot write '/w/a.json': write failed: the disk is full (No space left on device). The file is unchanged.", withDetail.Message);
            Assert.Equal(28, withDetail.HResult);
            Assert.Same(inner, withDetail.InnerException);
            Assert.Equal("No space left on device...", withDetail.Detail);
            Assert.False(withDetail.TargetReplaced);
            Assert.Equal("Cannot write '/w/a.json': rename failed: the operating system reported an error. The file is unchanged.", noDetail.Message);
            Assert.Equal(new IOException().HResult, noDetail.HResult);
            Assert.Equal("Cannot write '/w/a.json': flush failed: the operating system reported an error. The file is unchanged.", nullDetail.Message);
            Assert.Equal("Cannot write '/w/a.json': sync folder failed: access is denied (denied). "
                + "The new content is in place but the folder could not be flushed, so it may not survive a power cut.", replaced.Message);
            Assert.True(replaced.TargetReplaced);
        }

        [Fact]
        public void An_unsafe_path_message_says_file_or_folder_by_the_role()
        {
            var file = new UnsafePathException("/w/a.lock", "lock file", "a symbolic link to '/etc/passwd'");
            var folder = new UnsafePathException("/w/q", "quarantine folder", "a symbolic link to '/tmp'");

            Assert.Equal("Refusing the lock file '/w/a.lock': it is a symbolic link to '/etc/passwd', not a plain file. "
                + "AgentState never follows a link, nor writes into anything else, where it keeps its own files; nothing was changed. "
                + "Remove it if nobody meant to put it there.", file.Message);
            Assert.StartsWith("Refusing the quarantine folder '/w/q': it is a symbolic link to '/tmp', not a plain folder. ", folder.Message);
            Assert.Equal(("/w/q", "quarantine folder", "a symbolic link to '/tmp'"), (folder.Path, folder.Role, folder.Found));
        }
    }
}
