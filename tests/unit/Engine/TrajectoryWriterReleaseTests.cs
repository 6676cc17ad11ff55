using System;
using System.IO;
using System.Linq;
using AgentState.IO;
using AgentState.Json;
using AgentState.Locking;
using AgentState.Trajectories;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>However a trajectory writer ends (refused, failed, completed, disposed twice) it lets go of its lock and its file.</summary>
    public sealed class TrajectoryWriterReleaseTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();
        private readonly DateTimeOffset _now = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

        public void Dispose() => _folder.Dispose();

        private TrajectoryWriterOptions Options => new TrajectoryWriterOptions { Clock = () => _now, LockTimeout = TimeSpan.Zero };

        private string DateFolder => Path.Combine(_folder.Path, "20261121");

        private string StreamPath => Path.Combine(DateFolder, "s1.atif.jsonl");

        private TrajectoryWriter Start() =>
            TrajectoryWriter.Start(new TrajectoryStart(_folder.Path, "agent", "1") { SessionId = "s1" }, Options);

        private static OrderedJsonObject Step(string json) => (OrderedJsonObject)JsonTreeReader.Read(json).Root!;

        /// <summary>Fails the test when anyone, this process included, still holds the lock beside <paramref name="path"/>.</summary>
        private static void AssertLockFree(string path)
        {
            using (ExclusiveFileLock.AcquireBeside(path, TimeSpan.Zero))
            {
            }
        }

        /// <summary>How many of this process's descriptors are open on <paramref name="path"/> (Linux: /proc/self/fd).</summary>
        private static int OpenDescriptorsOn(string path) =>
            Directory.GetFiles("/proc/self/fd").Count(fd =>
            {
                try
                {
                    return new FileInfo(fd).LinkTarget == path;
                }
                catch (IOException)
                {
                    return false; // The descriptor the listing itself used is already closed.
                }
            });

        [Fact]
        public void A_link_planted_at_the_new_path_is_refused_as_a_link_and_the_lock_is_let_go()
        {
            // A link to a folder: the session search lists files only, so it is the create that meets it.
            string elsewhere = _folder.File("elsewhere");
            Directory.CreateDirectory(elsewhere);
            Directory.CreateDirectory(DateFolder);
            File.CreateSymbolicLink(StreamPath, elsewhere);

            var error = Assert.Throws<UnsafePathException>(() => Start());

            Assert.Equal(StreamPath, error.Path);
            Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
            AssertLockFree(StreamPath);
        }

        [Fact]
        public void A_start_whose_index_cannot_be_written_fails_and_lets_go_of_the_lock()
        {
            Directory.CreateDirectory(Path.Combine(DateFolder, "s1.index.json"));

            var error = Assert.Throws<AtomicWriteException>(() => Start());

            Assert.Equal(FailureReason.IsDirectory, error.Reason);
            AssertLockFree(StreamPath);
            Assert.Equal(0, OpenDescriptorsOn(StreamPath));
        }

        [Fact]
        public void Opening_a_file_without_a_header_fails_and_lets_go_of_the_lock_and_the_file()
        {
            Directory.CreateDirectory(DateFolder);
            File.WriteAllText(StreamPath, "{\"source\":\"user\",\"message\":\"no header\"}\n");

            Assert.Throws<TrajectoryCorruptException>(() => TrajectoryWriter.Open(StreamPath, Options));

            AssertLockFree(StreamPath);
            Assert.Equal(0, OpenDescriptorsOn(StreamPath));
        }

        [Fact]
        public void Opening_a_link_is_refused_before_a_lock_file_is_made_beside_it()
        {
            string real;
            using (TrajectoryWriter writer = Start())
            {
                real = writer.Path;
            }

            string link = _folder.File("s2.atif.jsonl");
            File.CreateSymbolicLink(link, real);

            var error = Assert.Throws<UnsafePathException>(() => TrajectoryWriter.Open(link, Options));

            Assert.Equal(link, error.Path);
            Assert.False(File.Exists(link + ".lock"), "a lock file was made beside a link that was then refused");
        }

        [Fact]
        public void Completing_lets_go_of_the_lock_and_the_file_at_once()
        {
            using TrajectoryWriter writer = Start();

            writer.Complete();

            AssertLockFree(StreamPath);
            Assert.Equal(0, OpenDescriptorsOn(StreamPath));
        }

        [Fact]
        public void Disposing_closes_the_file_and_a_second_dispose_does_not_write_the_index_again()
        {
            TrajectoryWriter first = Start();
            first.Dispose();
            Assert.Equal(0, OpenDescriptorsOn(StreamPath));

            using (TrajectoryWriter second = TrajectoryWriter.Open(StreamPath, Options))
            {
                second.Append(Step("{\"source\":\"user\",\"message\":\"after\"}"));
            }

            first.Dispose(); // A stale writer's second dispose must not put its own older index back.

            Assert.Equal(1, TrajectoryIndex.TryRead(TrajectoryFiles.IndexPathFor(StreamPath))!.LastStepId);
        }
    }
}
