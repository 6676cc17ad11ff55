using System;
using System.IO;
using System.Linq;
using System.Text;
using AgentState.IO;
using AgentState.Json;
using AgentState.Trajectories;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    /// <summary>The byte-exact edges of reading a trajectory's tail and lines, and of repairing it.</summary>
    public sealed class TrajectoryTailAndRepairTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();

        public void Dispose() => _folder.Dispose();

        private static MemoryStream Bytes(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

        private static OrderedJsonObject Step(string json) => (OrderedJsonObject)JsonTreeReader.Read(json).Root!;

        private string Written(int steps, bool complete = false)
        {
            using TrajectoryWriter writer = TrajectoryWriter.Start(new TrajectoryStart(_folder.Path, "agent", "1") { SessionId = "s1" });
            for (int i = 0; i < steps; i++)
            {
                writer.Append(Step($"{{\"source\":\"agent\",\"message\":\"step {i + 1}\",\"metrics\":{{\"prompt_tokens\":{i + 1}}}}}"));
            }

            if (complete)
            {
                writer.Complete();
            }

            return writer.Path;
        }

        [Theory]
        [InlineData("", 0, 0)]
        [InlineData("{\"a\":", 5, 0)]
        [InlineData("\n", 1, 1)]
        [InlineData("{\"a\":1}\n", 8, 8)]
        [InlineData("{\"__header__\":true}\n{\"a\":1}\n{\"b\":", 33, 28)]
        public void The_tail_is_the_last_complete_line_and_whatever_follows_it(string text, long length, long completeEnd)
        {
            TrajectoryTail tail = TrajectoryTail.Read(Bytes(text));

            Assert.Equal(length, tail.Length);
            Assert.Equal(completeEnd, tail.CompleteEnd);
            Assert.Equal(length - completeEnd, tail.TornBytes);
            if (completeEnd == 0)
            {
                Assert.Null(tail.LastLine);
            }
            else
            {
                int start = text.LastIndexOf('\n', (int)completeEnd - 2 < 0 ? 0 : (int)completeEnd - 2);
                long lineStart = completeEnd == 1 ? 0 : start + 1;
                Assert.Equal(lineStart, tail.LastLine!.Offset);
                Assert.Equal(completeEnd, tail.LastLine.End);
            }
        }

        [Fact]
        public void A_last_line_and_a_torn_tail_longer_than_the_read_chunk_are_found_exactly()
        {
            string header = "{\"__header__\":true}\n";
            string first = "{\"step_id\":1,\"message\":\"" + new string('a', 9000) + "\"}\n";
            string last = "{\"step_id\":2,\"message\":\"" + new string('b', 20000) + "\"}\n";
            string torn = "{\"step_id\":3,\"message\":\"" + new string('c', 17000);
            string path = _folder.File("long.atif.jsonl");
            File.WriteAllText(path, header + first + last + torn);

            TrajectoryTail tail = TrajectoryTail.Read(path);

            Assert.Equal(header.Length + first.Length + last.Length, tail.CompleteEnd);
            Assert.Equal(torn.Length, tail.TornBytes);
            Assert.Equal(TrajectoryLineKind.Step, tail.LastLine!.Kind);
            Assert.Equal(header.Length + first.Length, tail.LastLine.Offset);
            Assert.Equal(last.Length, tail.LastLine.Length);
            Assert.Equal(new string('b', 20000), tail.LastLine.Value!["message"]);
        }

        [Fact]
        public void Lines_carry_their_kind_number_offset_and_length_and_a_crlf_is_not_content()
        {
            string text = "{\"__header__\":true}\r\n[1,2]\n{\"step_id\":1}\n{\"__final__\":true}\n{\"torn";

            TrajectoryLine[] whole = TrajectoryLineReader.Read(Bytes(text), 0, 1, stopAtEnd: true).ToArray();
            TrajectoryLine[] following = TrajectoryLineReader.Read(Bytes(text), 27, 10, stopAtEnd: false).ToArray();

            Assert.Equal(new[] { TrajectoryLineKind.Header, TrajectoryLineKind.Malformed, TrajectoryLineKind.Step, TrajectoryLineKind.Final, TrajectoryLineKind.Torn }, whole.Select(l => l.Kind));
            Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, whole.Select(l => l.LineNumber));
            Assert.Equal(new long[] { 0, 21, 27, 41, 60 }, whole.Select(l => l.Offset));
            Assert.Equal(new[] { 21, 6, 14, 19, 6 }, whole.Select(l => l.Length));
            Assert.Equal("the line is JSON but not an object", whole[1].Error);
            Assert.Null(whole[4].Value);
            Assert.Equal(1L, whole[2].Value!["step_id"]);

            Assert.Equal(new[] { TrajectoryLineKind.Step, TrajectoryLineKind.Final }, following.Select(l => l.Kind));
            Assert.Equal(new long[] { 10, 11 }, following.Select(l => l.LineNumber));
            Assert.Equal(new long[] { 27, 41 }, following.Select(l => l.Offset));
        }

        [Fact]
        public void Lines_around_and_across_the_buffer_boundary_keep_exact_offsets()
        {
            int[] sizes = { 65536, 10, 65536 * 2 + 5, 12, 65530, 65536 };
            var text = new StringBuilder();
            foreach (int size in sizes)
            {
                string prefix = "{\"m\":\"";
                text.Append(prefix).Append('x', size - prefix.Length - 3).Append("\"}\n");
            }

            TrajectoryLine[] lines = TrajectoryLineReader.Read(Bytes(text.ToString()), 0, 1, stopAtEnd: true).ToArray();

            Assert.Equal(sizes, lines.Select(l => l.Length));
            long offset = 0;
            for (int i = 0; i < sizes.Length; i++)
            {
                Assert.Equal(offset, lines[i].Offset);
                Assert.Equal(TrajectoryLineKind.Step, lines[i].Kind);
                Assert.Equal(sizes[i] - 9, ((string)lines[i].Value!["m"]!).Length);
                offset += sizes[i];
            }
        }

        [Fact]
        public void Repair_sets_the_tail_aside_under_the_next_free_torn_name_and_cuts_the_stream_exactly()
        {
            string path = Written(2);
            long whole = new FileInfo(path).Length;
            File.WriteAllText(path + ".torn", "earlier");
            File.WriteAllText(path + ".torn.1", "earlier too");
            File.AppendAllText(path, "{\"step_id\":3,\"so");

            TrajectoryRepairResult plan = TrajectoryRepair.Repair(path, markFailed: false, dryRun: true);
            TrajectoryRepairResult done = TrajectoryRepair.Repair(path, markFailed: false, dryRun: false);

            Assert.Equal(path + ".torn.2", plan.TornPath);
            Assert.Equal(16, plan.TornBytes);
            Assert.Equal(TrajectoryStatus.InProgress, plan.Status);
            Assert.False(plan.MarkedFailed);
            Assert.Equal(2, plan.StepCount);
            Assert.Equal(path + ".torn.2", done.TornPath);
            Assert.Equal(16, done.TornBytes);
            Assert.Equal(TrajectoryStatus.InProgress, done.Status);
            Assert.False(done.MarkedFailed);
            Assert.Equal(2, done.StepCount);
            Assert.Equal(path, done.Path);
            Assert.Equal("{\"step_id\":3,\"so", File.ReadAllText(path + ".torn.2"));
            Assert.Equal("earlier", File.ReadAllText(path + ".torn"));
            Assert.Equal("earlier too", File.ReadAllText(path + ".torn.1"));
            Assert.Equal(whole, new FileInfo(path).Length);
            Assert.EndsWith("\"message\":\"step 2\",\"metrics\":{\"prompt_tokens\":2}}\n", File.ReadAllText(path));
        }

        [Fact]
        public void Repairing_a_whole_trajectory_moves_nothing_and_names_no_torn_file()
        {
            string path = Written(1);
            string before = File.ReadAllText(path);

            TrajectoryRepairResult plan = TrajectoryRepair.Repair(path, markFailed: false, dryRun: true);
            TrajectoryRepairResult done = TrajectoryRepair.Repair(path, markFailed: false, dryRun: false);

            Assert.Null(plan.TornPath);
            Assert.Equal(0, plan.TornBytes);
            Assert.Null(done.TornPath);
            Assert.Equal(0, done.TornBytes);
            Assert.Equal(before, File.ReadAllText(path));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.torn*"));
        }

        [Fact]
        public void A_completed_trajectory_is_never_marked_failed_and_its_lost_index_is_rebuilt_as_completed()
        {
            string path = Written(3, complete: true);
            string stream = File.ReadAllText(path);
            string index = TrajectoryFiles.IndexPathFor(path);
            File.Delete(index);

            TrajectoryRepairResult plan = TrajectoryRepair.Repair(path, markFailed: true, dryRun: true);
            Assert.False(File.Exists(index));
            TrajectoryRepairResult done = TrajectoryRepair.Repair(path, markFailed: true, dryRun: false);

            Assert.False(plan.MarkedFailed);
            Assert.Equal(TrajectoryStatus.Completed, plan.Status);
            Assert.False(done.MarkedFailed);
            Assert.Equal(TrajectoryStatus.Completed, done.Status);
            Assert.Equal(3, done.StepCount);
            Assert.Equal(stream, File.ReadAllText(path));
            TrajectoryIndex rebuilt = TrajectoryIndex.TryRead(index)!;
            Assert.Equal(TrajectoryStatus.Completed, rebuilt.Status);
            Assert.Equal(3, rebuilt.LastStepId);
            Assert.Equal(new FileInfo(path).Length, rebuilt.ByteOffset);
            Assert.Equal(6L, rebuilt.FinalMetrics!["total_prompt_tokens"]);
            Assert.Equal(3L, rebuilt.FinalMetrics["total_steps"]);
        }
    }
}
