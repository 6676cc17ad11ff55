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
    /// <summary>
    /// A write or an fdatasync of the stream that fails (a full disk, a failing device), made through the writer's
    /// IAppendOperations seam: the error names the file, no line the caller was told failed is left for a reader to
    /// take as a step, and the writer either goes on (the write was cut back) or refuses every further call.
    /// </summary>
    public sealed class TrajectoryWriterFailureTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();
        private readonly DateTimeOffset _now = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        private readonly FaultyAppendOperations _faults = new FaultyAppendOperations();

        public void Dispose() => _folder.Dispose();

        private TrajectoryWriterOptions Options(StepDurability durability = StepDurability.Durable) =>
            new TrajectoryWriterOptions { Clock = () => _now, LockTimeout = TimeSpan.Zero, Durability = durability, Append = _faults };

        /// <summary>Options with the real calls, for opening again after a failure.</summary>
        private TrajectoryWriterOptions Healthy => new TrajectoryWriterOptions { Clock = () => _now, LockTimeout = TimeSpan.Zero };

        private string StreamPath => Path.Combine(_folder.Path, "20261122", "s1.atif.jsonl");

        private TrajectoryWriter Start(StepDurability durability = StepDurability.Durable) =>
            TrajectoryWriter.Start(new TrajectoryStart(_folder.Path, "agent", "1") { SessionId = "s1" }, Options(durability));

        private static OrderedJsonObject Step(string message) =>
            new OrderedJsonObject { ["source"] = "user", ["message"] = message };

        /// <summary>Fails the test when anyone, this process included, still holds the lock beside the stream.</summary>
        private void AssertLockFree()
        {
            using (ExclusiveFileLock.AcquireBeside(StreamPath, TimeSpan.Zero))
            {
            }
        }

        /// <summary>How many of this process's descriptors are open on the stream (Linux: /proc/self/fd).</summary>
        private int OpenDescriptorsOnStream() =>
            Directory.GetFiles("/proc/self/fd").Count(fd =>
            {
                try
                {
                    return new FileInfo(fd).LinkTarget == StreamPath;
                }
                catch (IOException)
                {
                    return false; // The descriptor the listing itself used is already closed.
                }
            });

        /// <summary>The step lines a reader finds, as "id:message"; fails on a torn or malformed line.</summary>
        private string[] StepsOnDisk()
        {
            var lines = TrajectoryLineReader.Read(StreamPath).ToList();
            TrajectoryLine? bad = lines.FirstOrDefault(l => l.Kind == TrajectoryLineKind.Torn || l.Kind == TrajectoryLineKind.Malformed);
            Assert.True(bad == null, $"line {bad?.LineNumber} of {StreamPath} is {bad?.Kind}: {bad?.Error}");
            return lines.Where(l => l.Kind == TrajectoryLineKind.Step).Select(l => $"{l.Value!["step_id"]}:{l.Value["message"]}").ToArray();
        }

        [Fact]
        public void A_step_whose_write_fails_half_way_is_cut_off_and_the_writer_goes_on_with_the_same_step_id()
        {
            using (TrajectoryWriter writer = Start())
            {
                writer.Append(Step("one"));
                byte[] before = File.ReadAllBytes(StreamPath);
                _faults.FailOn.Add(nameof(IAppendOperations.Write));

                var error = Assert.Throws<AtomicWriteException>(() => writer.Append(Step("two")));

                Assert.Equal(StreamPath, error.Path);
                Assert.Equal(AtomicWriteStep.Write, error.Step);
                Assert.Equal(FailureReason.DiskFull, error.Reason);
                Assert.StartsWith($"Cannot write '{StreamPath}': write failed: the disk is full", error.Message);
                Assert.Equal(before, File.ReadAllBytes(StreamPath));
                Assert.Equal(1, writer.LastStepId);

                _faults.FailOn.Clear();
                writer.Append(Step("two again"));
                Assert.Equal(new[] { "1:one", "2:two again" }, StepsOnDisk());
            }

            using (TrajectoryWriter reopened = TrajectoryWriter.Open(StreamPath, Healthy))
            {
                Assert.Equal(0, reopened.RepairedTornBytes);
                Assert.Equal(2, reopened.LastStepId);
            }
        }

        [Fact]
        public void A_write_that_cannot_be_cut_back_stops_the_writer_and_the_next_opening_sets_the_torn_part_aside()
        {
            TrajectoryWriter writer = Start();
            writer.Append(Step("one"));
            long whole = new FileInfo(StreamPath).Length;
            _faults.Failure = FaultyAppendOperations.Errno(5, "Input/output error");
            _faults.FailOn.Add(nameof(IAppendOperations.Write));
            _faults.FailOn.Add(nameof(IAppendOperations.Truncate));

            var error = Assert.Throws<AtomicWriteException>(() => writer.Append(Step("two")));

            Assert.Equal(StreamPath, error.Path);
            Assert.Equal(AtomicWriteStep.Write, error.Step);
            Assert.Contains("could not be cut off", error.Message);
            Assert.True(new FileInfo(StreamPath).Length > whole, "the half line the fault wrote is not in the file");
            var closed = Assert.Throws<TrajectoryWriterClosedException>(() => writer.Append(Step("three")));
            Assert.Contains($"'{StreamPath}' was closed after a write it could not cut back", closed.Message);
            AssertLockFree();
            writer.Dispose(); // Already let go: no index is written over the one Start wrote.
            Assert.Equal(0, TrajectoryIndex.TryRead(TrajectoryFiles.IndexPathFor(StreamPath))!.LastStepId);

            using (TrajectoryWriter reopened = TrajectoryWriter.Open(StreamPath, Healthy))
            {
                Assert.True(reopened.RepairedTornBytes > 0, "the half line was not found torn");
                Assert.Equal(whole, new FileInfo(StreamPath).Length);
                Assert.Equal(1, reopened.LastStepId);
                Assert.StartsWith("{\"step_id\":2,", File.ReadAllText(reopened.TornPath!));
            }

            Assert.Equal(new[] { "1:one" }, StepsOnDisk());
        }

        [Fact]
        public void A_durable_step_whose_fdatasync_fails_is_cut_off_and_the_writer_refuses_further_steps()
        {
            TrajectoryWriter writer = Start();
            writer.Append(Step("one"));
            byte[] before = File.ReadAllBytes(StreamPath);
            _faults.FailOn.Add(nameof(IAppendOperations.FlushData));

            var error = Assert.Throws<AtomicWriteException>(() => writer.Append(Step("two")));

            Assert.Equal(StreamPath, error.Path);
            Assert.Equal(AtomicWriteStep.Flush, error.Step);
            Assert.Equal(FailureReason.DiskFull, error.Reason);
            Assert.StartsWith($"Cannot write '{StreamPath}': flush failed: the disk is full", error.Message);
            Assert.Equal(before, File.ReadAllBytes(StreamPath));
            Assert.Equal(1, writer.LastStepId);
            var closed = Assert.Throws<TrajectoryWriterClosedException>(() => writer.Append(Step("three")));
            Assert.Contains($"'{StreamPath}' was closed after a failed flush", closed.Message);
            Assert.Throws<TrajectoryWriterClosedException>(() => writer.Complete());
            AssertLockFree();
            Assert.Equal(0, OpenDescriptorsOnStream());
            writer.Dispose();

            _faults.FailOn.Clear();
            using (TrajectoryWriter reopened = TrajectoryWriter.Open(StreamPath, Healthy))
            {
                Assert.Equal(0, reopened.RepairedTornBytes);
                Assert.Equal(1, reopened.LastStepId);
                reopened.Append(Step("two again"));
            }

            Assert.Equal(new[] { "1:one", "2:two again" }, StepsOnDisk());
        }

        [Fact]
        public void A_failed_fdatasync_whose_cut_back_fails_too_says_the_lines_may_still_be_there()
        {
            TrajectoryWriter writer = Start();
            _faults.FailOn.Add(nameof(IAppendOperations.FlushData));
            _faults.FailOn.Add(nameof(IAppendOperations.Truncate));

            var error = Assert.Throws<AtomicWriteException>(() => writer.Append(Step("one")));

            Assert.Equal(AtomicWriteStep.Flush, error.Step);
            Assert.Contains("could not be cut off and may still be in the file", error.Message);
            Assert.Equal(0, writer.LastStepId);
            Assert.Throws<TrajectoryWriterClosedException>(() => writer.Append(Step("two")));
            AssertLockFree();
        }

        [Fact]
        public void A_batch_whose_fdatasync_fails_is_cut_back_to_the_last_good_flush_and_the_writer_stops()
        {
            TrajectoryWriter writer = Start(StepDurability.Batch);
            writer.Append(Step("one"));
            writer.Flush();
            byte[] flushed = File.ReadAllBytes(StreamPath);
            writer.Append(Step("two"));
            writer.Append(Step("three"));
            Assert.Equal(new[] { "1:one", "2:two", "3:three" }, StepsOnDisk());
            _faults.FailOn.Add(nameof(IAppendOperations.FlushData));

            var error = Assert.Throws<AtomicWriteException>(() => writer.Flush());

            Assert.Equal(StreamPath, error.Path);
            Assert.Equal(AtomicWriteStep.Flush, error.Step);
            Assert.Equal(flushed, File.ReadAllBytes(StreamPath));
            Assert.Equal(1, writer.LastStepId);
            Assert.Throws<TrajectoryWriterClosedException>(() => writer.Append(Step("four")));
            writer.Flush(); // Nothing is pending any more: no second fdatasync of a closed stream.
            writer.Dispose(); // No second fdatasync, no index: the writer already let go.
            Assert.Equal(3, _faults.Calls.Count(c => c == nameof(IAppendOperations.FlushData))); // The header's, the first batch's, the failed one.
            Assert.Equal(0, TrajectoryIndex.TryRead(TrajectoryFiles.IndexPathFor(StreamPath))!.LastStepId); // Still the one Start wrote.
            AssertLockFree();
            Assert.Equal(new[] { "1:one" }, StepsOnDisk());
        }

        [Fact]
        public void A_failed_fdatasync_of_the_final_line_leaves_the_trajectory_in_progress()
        {
            TrajectoryWriter writer = Start();
            writer.Append(Step("one"));
            byte[] before = File.ReadAllBytes(StreamPath);
            _faults.FailOn.Add(nameof(IAppendOperations.FlushData));

            var error = Assert.Throws<AtomicWriteException>(() => writer.Complete());

            Assert.Equal(StreamPath, error.Path);
            Assert.Equal(TrajectoryStatus.InProgress, writer.Status);
            Assert.Equal(before, File.ReadAllBytes(StreamPath));
            AssertLockFree();
            Assert.Equal(TrajectoryStatus.InProgress, TrajectorySummary.Inspect(StreamPath).Status);
        }

        [Fact]
        public void A_start_whose_header_fdatasync_fails_throws_naming_the_file_and_lets_go_of_the_lock()
        {
            _faults.FailOn.Add(nameof(IAppendOperations.FlushData));

            var error = Assert.Throws<AtomicWriteException>(() => Start());

            Assert.Equal(StreamPath, error.Path);
            Assert.Equal(AtomicWriteStep.Flush, error.Step);
            Assert.Equal(0, new FileInfo(StreamPath).Length);
            AssertLockFree();
        }

        [Fact]
        public void The_writer_makes_every_write_and_fdatasync_through_its_append_operations()
        {
            using (TrajectoryWriter writer = Start(StepDurability.Durable))
            {
                writer.Append(Step("one"));
                writer.Complete();
            }

            // Header, step, final line: each one write then one fdatasync.
            Assert.Equal(new[] { "Write", "FlushData", "Write", "FlushData", "Write", "FlushData" }, _faults.Calls);
        }
    }
}
