using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using AgentState.IO;
using AgentState.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AgentState.Tests.Cli
{
    /// <summary>
    /// Kills `agentstate write` with SIGKILL at random moments, hundreds of times: the target must
    /// always be exactly the old or the new content, and only the killed process's temp file may remain.
    /// Every fourth run is killed mid-write for certain: the CLI streams standard input into the temp file, so
    /// the test sends half the content, waits until the temp file holds some of it, and kills.
    /// </summary>
    public sealed class WriteCrashTests : IDisposable
    {
        private const int Kills = 200;
        private const int MaxRuns = 600;
        private const int PayloadBytes = 3 * 1024 * 1024;
        private readonly TestFolder _folder = new TestFolder();
        private readonly ITestOutputHelper _output;

        public WriteCrashTests(ITestOutputHelper output) => _output = output;

        public void Dispose() => _folder.Dispose();

        [Fact]
        [Trait("Category", "Crash")]
        public void Sigkill_at_random_moments_never_tears_the_target()
        {
            string target = _folder.File("checkpoint.bin");
            byte[] current = Payload(-1);
            File.WriteAllBytes(target, current);
            var random = new Random(20261121);
            int sawOld = 0, sawNew = 0, killedMidWrite = 0, finishedFirst = 0, killed = 0, i;

            for (i = 0; killed < Kills && i < MaxRuns; i++)
            {
                byte[] next = Payload(i);
                using Process process = CliProcess.Start(new[] { "write", target });
                if (i % 4 == 3)
                {
                    // Half the content in, the pipe left open: the writer is inside its write, blocked on the rest.
                    process.StandardInput.BaseStream.Write(next, 0, next.Length / 2);
                    process.StandardInput.BaseStream.Flush();
                    var deadline = Stopwatch.StartNew();
                    while (!process.HasExited && TempLength() <= 0 && deadline.ElapsedMilliseconds < 60_000)
                    {
                        Thread.Sleep(1);
                    }

                    Assert.True(TempLength() > 0, $"run {i}: the writer never started its temp file");
                }
                else if (i % 2 == 0)
                {
                    // Half the other kills wait for the temp file to appear, then strike within a few milliseconds:
                    // inside the write, the fsync or the rename.
                    process.StandardInput.BaseStream.Write(next);
                    process.StandardInput.Close();
                    var deadline = Stopwatch.StartNew();
                    while (!process.HasExited && !TempExists() && deadline.ElapsedMilliseconds < 20_000)
                    {
                        Thread.Yield();
                    }

                    Thread.Sleep(random.Next(0, 6));
                }
                else
                {
                    // The rest strike anywhere from start-up to the end.
                    process.StandardInput.BaseStream.Write(next);
                    process.StandardInput.Close();
                    Thread.Sleep(random.Next(0, 150));
                }

                if (process.HasExited)
                {
                    finishedFirst++;
                }
                else
                {
                    process.Kill();
                    killed++;
                }

                process.WaitForExit();
                byte[] seen = File.ReadAllBytes(target);
                bool isOld = seen.AsSpan().SequenceEqual(current);
                bool isNew = seen.AsSpan().SequenceEqual(next);
                Assert.True(isOld || isNew, $"kill {i}: the target is neither the old nor the new content ({seen.Length} bytes)");

                string[] leftovers = _folder.Leftovers("checkpoint.bin");
                foreach (string leftover in leftovers)
                {
                    Assert.True(TempFileName.TryParse(leftover, out TempFileName? temp), $"kill {i}: unexpected file {leftover}");
                    Assert.Equal("checkpoint.bin", temp!.TargetName);
                    Assert.Equal(process.Id, temp.ProcessId);
                    File.Delete(_folder.File(leftover));
                }

                killedMidWrite += leftovers.Length > 0 ? 1 : 0;
                sawOld += isOld ? 1 : 0;
                sawNew += isNew ? 1 : 0;
                current = seen;
            }

            _output.WriteLine($"{i} runs, {killed} killed: {sawOld} left the old content, {sawNew} the new; {killedMidWrite} kills left a temp file; {finishedFirst} finished before the kill.");
            Assert.True(killed >= Kills, $"only {killed} of {i} runs were killed before they finished");
            Assert.True(killedMidWrite >= killed / 10, $"only {killedMidWrite} of {killed} kills landed while the temp file existed");
        }

        private bool TempExists() => Directory.EnumerateFiles(_folder.Path, "checkpoint.bin.tmp.*").Any();

        private long TempLength() => Directory.EnumerateFiles(_folder.Path, "checkpoint.bin.tmp.*").Select(f => new FileInfo(f).Length).DefaultIfEmpty(-1).Max();

        private static byte[] Payload(int seed)
        {
            var bytes = new byte[PayloadBytes + (seed & 0xFF)];
            new Random(seed).NextBytes(bytes);
            return bytes;
        }
    }
}
