using System;
using System.IO;
using System.Threading;
using AgentState.Locking;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>What an operator reads when a lock is held too long, for each shape of owner note a lock file can hold.</summary>
    public sealed class FileLockedExceptionTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();

        public void Dispose() => _folder.Dispose();

        [Fact]
        public void The_message_names_the_holder_when_it_took_the_lock_and_the_wait_to_the_millisecond()
        {
            var error = FileLockedException.For("/w/state.json", "/w/state.json.lock", TimeSpan.FromTicks(12_345_678),
                "4242\n2026-11-20T12:34:56.7890000+00:00\n");

            Assert.Equal("Cannot change '/w/state.json': it is locked by process 4242 (since 2026-11-20 12:34:56Z); gave up after 1.235 s. "
                + "The lock is '/w/state.json.lock'. Nothing was changed.", error.Message);
            Assert.Equal(4242, error.HolderProcessId);
            Assert.Equal(new DateTimeOffset(2026, 11, 20, 12, 34, 56, 789, TimeSpan.Zero), error.HeldSince);
            Assert.Equal("/w/state.json", error.Path);
            Assert.Equal("/w/state.json.lock", error.LockPath);
        }

        [Fact]
        public void A_note_with_a_pid_and_no_time_names_the_process_only()
        {
            var single = FileLockedException.For("/w/a.json", "/w/a.json.lock", TimeSpan.FromSeconds(2), "4242");
            var emptyTime = FileLockedException.For("/w/a.json", "/w/a.json.lock", TimeSpan.FromSeconds(2), "4242\n\n");

            foreach (FileLockedException error in new[] { single, emptyTime })
            {
                Assert.Equal("Cannot change '/w/a.json': it is locked by process 4242; gave up after 2 s. The lock is '/w/a.json.lock'. Nothing was changed.", error.Message);
                Assert.Equal(4242, error.HolderProcessId);
                Assert.Null(error.HeldSince);
            }
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("not a pid\n2026-11-20T12:34:56Z\n")]
        [InlineData("-5\n2026-11-20T12:34:56Z\n")]
        public void An_unreadable_note_says_another_process(string? owner)
        {
            var error = FileLockedException.For("/w/a.json", "/w/a.json.lock", TimeSpan.FromMilliseconds(250), owner);

            Assert.Equal("Cannot change '/w/a.json': it is locked by another process; gave up after 0.25 s. The lock is '/w/a.json.lock'. Nothing was changed.", error.Message);
            Assert.Null(error.HolderProcessId);
        }

        [Fact]
        public void A_real_holder_is_named_with_the_time_it_wrote_into_the_lock_file()
        {
            string target = _folder.File("held.json");
            DateTimeOffset before = DateTimeOffset.UtcNow;
            using (ExclusiveFileLock.Acquire(target, TimeSpan.FromSeconds(1)))
            {
                DateTimeOffset after = DateTimeOffset.UtcNow;

                var error = Assert.Throws<FileLockedException>(() => ExclusiveFileLock.Acquire(target, TimeSpan.FromMilliseconds(50)));

                Assert.NotNull(error.HeldSince);
                Assert.InRange(error.HeldSince!.Value, before, after);
                Assert.Equal($"Cannot change '{target}': it is locked by process {Environment.ProcessId} (since {error.HeldSince.Value.UtcDateTime:u}); "
                    + $"gave up after 0.05 s. The lock is '{target}.lock'. Nothing was changed.", error.Message);
            }
        }

        [Fact]
        public void A_wait_cancelled_before_it_starts_does_not_take_a_free_lock()
        {
            string target = _folder.File("free.json");
            using var cancel = new CancellationTokenSource();
            cancel.Cancel();

            Assert.Throws<OperationCanceledException>(() => ExclusiveFileLock.Acquire(target, TimeSpan.FromMinutes(5), cancel.Token));
            Assert.Throws<OperationCanceledException>(() => ExclusiveFileLock.AcquireBeside(target, TimeSpan.FromMinutes(5), cancel.Token));

            // Not taken: a wait of zero gets it at the first try.
            using ExclusiveFileLock again = ExclusiveFileLock.Acquire(target, TimeSpan.Zero);
            Assert.Equal(target + ".lock", again.LockPath);
        }
    }
}
