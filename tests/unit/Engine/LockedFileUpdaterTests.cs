using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using AgentState.IO;
using AgentState.Locking;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>The locked read-modify-write's own rules: its arguments, what it reports, and how it waits.</summary>
    public sealed class LockedFileUpdaterTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();

        public void Dispose() => _folder.Dispose();

        [Fact]
        public void A_null_transform_is_refused_before_anything_is_touched()
        {
            string path = _folder.File("a.json");

            var error = Assert.Throws<ArgumentNullException>(() => new LockedFileUpdater().Update(path, null!));

            Assert.Equal("transform", error.ParamName);
            Assert.Empty(_folder.Leftovers());
        }

        [Fact]
        public void The_result_names_the_full_path_and_the_length_left()
        {
            string path = _folder.File("a.json");
            File.WriteAllText(path, "{\"n\":1}");
            var updater = new LockedFileUpdater();

            LockedUpdateResult kept = updater.Update(path, _ => null);
            LockedUpdateResult changed = updater.Update(path, _ => Encoding.UTF8.GetBytes("{\"n\":22}"));
            LockedUpdateResult missing = updater.Update(_folder.File("none.json"), _ => null);

            Assert.Equal((path, false, 7L), (kept.Path, kept.Changed, kept.Length));
            Assert.Equal((path, true, 8L), (changed.Path, changed.Changed, changed.Length));
            Assert.Equal((_folder.File("none.json"), false, 0L), (missing.Path, missing.Changed, missing.Length));
        }

        [Fact]
        public void A_missing_folder_is_not_created_unless_asked()
        {
            string path = Path.Combine(_folder.Path, "sub", "a.json");

            Assert.ThrowsAny<IOException>(() => new LockedFileUpdater().Update(path, _ => Encoding.UTF8.GetBytes("{}")));

            Assert.False(Directory.Exists(Path.Combine(_folder.Path, "sub")));
        }

        [Fact]
        public void An_existing_folder_is_written_into_when_asked_to_create_missing_ones()
        {
            string path = _folder.File("a.json");

            new LockedFileUpdater().Update(path, _ => Encoding.UTF8.GetBytes("{}"), new AtomicWriteOptions { CreateDirectories = true });

            Assert.Equal("{}", File.ReadAllText(path));
        }

        [Fact]
        public void A_cancelled_wait_for_a_held_lock_is_cancelled_not_timed_out()
        {
            string path = _folder.File("a.json");
            File.WriteAllText(path, "{}");
            using ExclusiveFileLock held = ExclusiveFileLock.Acquire(path, TimeSpan.FromSeconds(1));
            using var cancel = new CancellationTokenSource();
            cancel.Cancel();

            Assert.Throws<OperationCanceledException>(() =>
                new LockedFileUpdater().Update(path, _ => Encoding.UTF8.GetBytes("{\"n\":2}"), lockTimeout: TimeSpan.FromMinutes(5), cancellation: cancel.Token));

            Assert.Equal("{}", File.ReadAllText(path));
        }

        [Fact]
        public void The_callers_lock_timeout_is_used_instead_of_the_default()
        {
            string path = _folder.File("a.json");
            File.WriteAllText(path, "{}");
            using ExclusiveFileLock held = ExclusiveFileLock.Acquire(path, TimeSpan.FromSeconds(1));

            var error = Assert.Throws<FileLockedException>(() => new LockedFileUpdater().Update(path, _ => Encoding.UTF8.GetBytes("{\"n\":2}"), lockTimeout: TimeSpan.Zero));

            // A zero timeout gives up on the first busy lock; the default would have waited its full 10 s first.
            double waited = double.Parse(Regex.Match(error.Message, @"gave up after ([0-9.]+) s").Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.True(waited < ExclusiveFileLock.DefaultTimeout.TotalSeconds, $"gave up after {waited} s, not at once: {error.Message}");
            Assert.Equal("{}", File.ReadAllText(path));
        }
    }
}
