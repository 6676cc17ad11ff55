using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AgentState.Trajectories;
using AgentState.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AgentState.Tests.Cli
{
    /// <summary>
    /// A writer process appends steps and prints each step_id once it is durable; the test kills it with SIGKILL
    /// at random moments, over and over. Every acknowledged step must be read back, no step twice, ids in order;
    /// a torn tail must end up in a .torn file, and the next writer must go on with the numbering. Whether a kill
    /// lands inside a write is luck, so the test also tears the tail itself, exactly as such a kill leaves it,
    /// after every tenth run: the set-aside is exercised on every machine, however busy.
    /// </summary>
    public sealed class TrajectoryCrashTests : IDisposable
    {
        private const int Kills = 200;
        private readonly TestFolder _folder = new TestFolder();
        private readonly ITestOutputHelper _output;

        public TrajectoryCrashTests(ITestOutputHelper output) => _output = output;

        public void Dispose() => _folder.Dispose();

        [Fact]
        [Trait("Category", "Crash")]
        public async Task Sigkill_never_loses_an_acknowledged_step_nor_duplicates_one()
        {
            var start = CliProcess.Run("traj", "start", "--session-id", "crash", "--agent-name", "a", "--agent-version", "1", "--root", _folder.Path);
            Assert.True(start.ExitCode == 0, start.StandardError);
            string path = start.StandardOutput.Trim();
            var random = new Random(1121);
            long maxAcked = 0, before = 0, verified = 0;
            int killed = 0, runs = 0;
            var tornSeen = new List<string>();
            var tornMade = new List<string>();
            bool tearDue = false;
            // Large steps make a kill land inside a write now and then (Linux checks for SIGKILL between pages).
            string big = new string('x', 1 << 19);

            while (killed < Kills && runs < 600)
            {
                runs++;
                using Process writer = CliProcess.Start(new[] { "traj", "add", "--path", path, "--lock-timeout", "60" });
                var acked = new List<long>();
                var firstAck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Task reading = Task.Run(() =>
                {
                    string? line;
                    while ((line = writer.StandardOutput.ReadLine()) != null)
                    {
                        lock (acked)
                        {
                            acked.Add(long.Parse(line));
                        }

                        firstAck.TrySetResult();
                    }

                    firstAck.TrySetResult();
                });
                Task feeding = Task.Run(() =>
                {
                    try
                    {
                        for (int i = 0; ; i++)
                        {
                            string message = i % 8 == 7 ? big : $"run {runs} step {i}";
                            writer.StandardInput.WriteLine($"{{\"source\":\"agent\",\"message\":\"{message}\",\"metrics\":{{\"prompt_tokens\":{i}}}}}");
                        }
                    }
                    catch (IOException)
                    {
                        // The writer died: the pipe closed.
                    }
                });

                // The random moment is counted from the first acknowledged step, not from the start: on a busy machine
                // start-up alone can take longer than any fixed delay, and no kill would land while steps stream.
                await firstAck.Task.WaitAsync(TimeSpan.FromSeconds(120));
                await Task.Delay(random.Next(0, 200));
                if (!writer.HasExited)
                {
                    writer.Kill();
                    killed++;
                }

                await writer.WaitForExitAsync();
                await reading;
                await feeding.WaitAsync(TimeSpan.FromSeconds(30));

                // Only what was written since the last check is read: the file grows to hundreds of megabytes.
                long[] newIds = ReadStepIds(path, ref verified, out string? torn);
                if (torn != null)
                {
                    tornSeen.Add(torn);
                }

                Assert.Equal(Enumerable.Range((int)before + 1, newIds.Length).Select(i => (long)i), newIds);
                long[] ids = Enumerable.Range(1, (int)before + newIds.Length).Select(i => (long)i).ToArray();
                lock (acked)
                {
                    // This run's acknowledgements go on from the steps already in the file, one by one, and are all there.
                    Assert.True(acked.SequenceEqual(Enumerable.Range((int)before + 1, acked.Count).Select(i => (long)i)),
                        $"run {runs}: acknowledged {string.Join(",", acked.Take(5))}... after {before} steps");
                    Assert.True(before + acked.Count <= ids.Length, $"run {runs}: {acked.Count} steps acknowledged after {before}, but the file has {ids.Length}");
                    maxAcked = Math.Max(maxAcked, before + acked.Count);
                }

                before = ids.Length;
                tearDue |= runs % 10 == 0;
                if (tearDue && torn == null)
                {
                    tearDue = false;
                    // Half a step, no newline: what a writer killed between its write call's pages leaves behind.
                    string half = $"{{\"step_id\":{before + 1},\"source\":\"agent\",\"message\":\"torn by the test in run {runs}";
                    File.AppendAllText(path, half);
                    tornMade.Add(half);
                }
            }

            // The last torn tail, if any, is set aside by a repair; every torn tail seen must be in a .torn file.
            TrajectoryRepair.Repair(path, markFailed: false, dryRun: false);
            var tornFiles = Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + ".torn*").Select(File.ReadAllText).ToHashSet();
            Assert.All(tornSeen, t => Assert.Contains(t, tornFiles));
            Assert.All(tornMade, t => Assert.Contains(t, tornFiles));
            Assert.All(TrajectoryLineReader.Read(path), l => Assert.True(l.Kind != TrajectoryLineKind.Malformed && l.Kind != TrajectoryLineKind.Torn));

            long all = 0;
            long total = ReadStepIds(path, ref all, out _).Length;
            Assert.Equal(Enumerable.Range(1, (int)total).Select(i => (long)i), ReadAllStepIds(path));
            _output.WriteLine($"{runs} runs, {killed} killed; {maxAcked} steps acknowledged, {total} in the file; {tornSeen.Count} torn tails left by kills and {tornMade.Count} made by the test, all set aside.");
            Assert.True(killed >= Kills, $"only {killed} runs were killed");
            Assert.True(maxAcked > 0);
            // A tail is made at every tenth run unless a kill left one there already: either way, at least 20 were set aside.
            Assert.True(tornMade.Count + tornSeen.Count >= Kills / 10, $"only {tornMade.Count} torn tails made and {tornSeen.Count} left by kills");
        }

        private static long[] ReadAllStepIds(string path) =>
            TrajectoryLineReader.Read(path).Where(l => l.Kind == TrajectoryLineKind.Step).Select(l => TrajectoryWriter.StepId(l.Value!)).ToArray();

        /// <summary>The step ids of the complete lines from <paramref name="from"/> (a line start), which moves to the last complete line's end.</summary>
        private static long[] ReadStepIds(string path, ref long from, out string? torn)
        {
            torn = null;
            var ids = new List<long>();
            foreach (TrajectoryLine line in TrajectoryLineReader.Read(path, from))
            {
                Assert.NotEqual(TrajectoryLineKind.Malformed, line.Kind);
                if (line.Kind != TrajectoryLineKind.Torn)
                {
                    from = line.End;
                }

                if (line.Kind == TrajectoryLineKind.Step)
                {
                    ids.Add(TrajectoryWriter.StepId(line.Value!));
                }
                else if (line.Kind == TrajectoryLineKind.Torn)
                {
                    using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                    var bytes = new byte[line.Length];
                    stream.Seek(line.Offset, SeekOrigin.Begin);
                    stream.ReadExactly(bytes);
                    torn = Encoding.UTF8.GetString(bytes);
                }
            }

            return ids.ToArray();
        }
    }
}
