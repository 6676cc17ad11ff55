using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Cli
{
    /// <summary>
    /// "Survives a power cut" as the kernel sees it: strace records the CLI's fsync, fdatasync, rename and write calls,
    /// and each command must make them in the order that makes its promise true. A SIGKILL cannot lose cached data,
    /// so only this catches a flush that was left out.
    /// </summary>
    public sealed class DurabilitySyscallTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();

        public void Dispose() => _folder.Dispose();

        /// <summary>Every byte written to a temp beside the target, then fsync of it, then its rename over the target, then fsync of the folder.</summary>
        private static void AssertDurableReplace(IReadOnlyList<Syscall> calls, string target)
        {
            string trace = string.Join(Environment.NewLine, calls);
            var list = calls.ToList();
            int rename = list.FindIndex(c => c.Name == "rename" && c.Destination == target && c.Path.StartsWith(target + ".tmp.", StringComparison.Ordinal));
            Assert.True(rename >= 0, $"no rename of a temp file over {target}:{Environment.NewLine}{trace}");
            string temp = list[rename].Path;
            int lastWrite = list.FindLastIndex(rename, c => c.Name == "write" && c.Path == temp);
            int tempSync = list.FindLastIndex(rename, c => c.Name == "fsync" && c.Path == temp);
            Assert.True(lastWrite >= 0, $"nothing was written to {temp}:{Environment.NewLine}{trace}");
            Assert.True(tempSync > lastWrite, $"{temp} was not fsynced after its last write and before the rename:{Environment.NewLine}{trace}");
            int folderSync = list.FindIndex(rename, c => c.Name == "fsync" && c.Path == Path.GetDirectoryName(target));
            Assert.True(folderSync > rename, $"the folder of {target} was not fsynced after the rename:{Environment.NewLine}{trace}");
        }

        private static void AssertNoFlush(IReadOnlyList<Syscall> calls) =>
            Assert.DoesNotContain(calls, c => c.Name == "fsync" || c.Name == "fdatasync");

        [StraceFact]
        public void Write_fsyncs_the_temp_renames_it_then_fsyncs_the_folder()
        {
            string target = _folder.File("STATE.md");
            File.WriteAllText(target, "Status: running\n");

            AssertDurableReplace(SyscallTrace.Run(_folder.Path, new[] { "write", target, "--value", "Status: complete" }), target);
            Assert.Equal("Status: complete\n", File.ReadAllText(target));
        }

        [StraceFact]
        public void Write_from_standard_input_is_durable_too()
        {
            string target = _folder.File("data.bin");

            AssertDurableReplace(SyscallTrace.Run(_folder.Path, new[] { "write", target }, new byte[] { 1, 2, 3 }), target);
            Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(target));
        }

        [StraceFact]
        public void Write_with_atomic_durability_flushes_nothing_but_still_renames()
        {
            string target = _folder.File("cache.json");

            IReadOnlyList<Syscall> calls = SyscallTrace.Run(_folder.Path, new[] { "write", target, "--value", "{}", "--durability", "atomic" });

            AssertNoFlush(calls);
            Assert.Contains(calls, c => c.Name == "rename" && c.Destination == target);
        }

        [StraceFact]
        public void Update_replaces_durably()
        {
            string target = _folder.File("counter.json");
            File.WriteAllText(target, "{\"count\":1}\n");

            AssertDurableReplace(SyscallTrace.Run(_folder.Path, new[] { "update", target, "--", "sh", "-c", "cat >/dev/null; echo '{\"count\":2}'" }), target);
        }

        [StraceFact]
        public void Md_set_replaces_durably()
        {
            string target = _folder.File("STATE.md");
            File.WriteAllText(target, "Status: running\n");

            AssertDurableReplace(SyscallTrace.Run(_folder.Path, new[] { "md-set", target, "Status", "complete" }), target);
        }

        [StraceFact]
        public void State_set_replaces_durably()
        {
            Assert.Equal(0, CliProcess.Run("state", "new", "a1", "--name", "n", "--type", "L2", "--root", _folder.Path).ExitCode);
            string target = Path.Combine(_folder.Path, "state", "a1.json");

            AssertDurableReplace(SyscallTrace.Run(_folder.Path, new[] { "state", "set", "a1", "--progress", "40", "--root", _folder.Path }), target);
        }

        [StraceFact]
        public void Temp_restore_flushes_the_promoted_temp_before_the_rename_and_the_folder_after()
        {
            string target = _folder.File("agent-history.json");
            File.WriteAllText(target, "{\"v\":1}");
            File.SetLastWriteTimeUtc(target, DateTime.UtcNow.AddHours(-1));
            string temp = target + ".tmp.999999.abcdef1234";
            File.WriteAllText(temp, "{\"v\":2}");

            IReadOnlyList<Syscall> calls = SyscallTrace.Run(_folder.Path, new[] { "temp", "restore", _folder.Path });

            string trace = string.Join(Environment.NewLine, calls);
            var list = calls.ToList();
            int rename = list.FindIndex(c => c.Name == "rename" && c.Path == temp && c.Destination == target);
            Assert.True(rename >= 0, $"the temp was not renamed over the target:{Environment.NewLine}{trace}");
            Assert.True(list.FindLastIndex(rename, c => c.Name == "fsync" && c.Path == temp) >= 0, $"the temp was not fsynced before the rename:{Environment.NewLine}{trace}");
            Assert.True(list.FindIndex(rename, c => c.Name == "fsync" && c.Path == _folder.Path) > rename, $"the folder was not fsynced after the rename:{Environment.NewLine}{trace}");
            Assert.Equal("{\"v\":2}", File.ReadAllText(target));
        }

        [StraceFact]
        public void Traj_add_writes_a_step_with_one_write_then_one_fdatasync()
        {
            var started = CliProcess.Run("traj", "start", "--session-id", "s1", "--agent-name", "a", "--agent-version", "1", "--root", _folder.Path);
            Assert.Equal(0, started.ExitCode);
            string stream = started.StandardOutput.Trim();

            IReadOnlyList<Syscall> calls = SyscallTrace.Run(_folder.Path, new[] { "traj", "add", "--path", stream, "--source", "user", "--message", "hello" });

            string trace = string.Join(Environment.NewLine, calls);
            var list = calls.ToList();
            int write = list.FindIndex(c => c.Name == "write" && c.Path == stream);
            Assert.True(write >= 0, $"no write to the stream:{Environment.NewLine}{trace}");
            Assert.Single(list, c => c.Name == "write" && c.Path == stream);
            Assert.Single(list, c => c.Name == "fdatasync" && c.Path == stream);
            Assert.True(list.FindIndex(c => c.Name == "fdatasync" && c.Path == stream) > write, $"the step was not flushed after its write:{Environment.NewLine}{trace}");
            Assert.Equal(2, File.ReadAllLines(stream).Length);
        }

        [StraceFact]
        public void The_trace_sees_a_missing_flush()
        {
            // The check itself must be able to fail: the same assertions over a plain write with no flush at all.
            string target = _folder.File("plain.txt");
            IReadOnlyList<Syscall> calls = SyscallTrace.Run(_folder.Path, new[] { "write", target, "--value", "x", "--durability", "atomic" });

            Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertDurableReplace(calls, target));
        }
    }
}
