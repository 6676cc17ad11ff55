using System;
using System.IO;
using AgentState.IO;
using AgentState.Platform;

namespace AgentState.Trajectories
{
    /// <summary>What a repair found and did.</summary>
    public sealed class TrajectoryRepairResult
    {
        internal TrajectoryRepairResult(string path, long tornBytes, string? tornPath, long steps, TrajectoryStatus status, bool markedFailed, bool performed)
        {
            Path = path;
            TornBytes = tornBytes;
            TornPath = tornPath;
            StepCount = steps;
            Status = status;
            MarkedFailed = markedFailed;
            Performed = performed;
        }

        /// <summary>The trajectory.</summary>
        public string Path { get; }

        /// <summary>Bytes of a torn last line found (and, when performed, moved aside).</summary>
        public long TornBytes { get; }

        /// <summary>The file the torn bytes went to.</summary>
        public string? TornPath { get; }

        /// <summary>Complete steps in the stream.</summary>
        public long StepCount { get; }

        /// <summary>The status after the repair.</summary>
        public TrajectoryStatus Status { get; }

        /// <summary>An abandoned run was (or would be) closed as failed.</summary>
        public bool MarkedFailed { get; }

        /// <summary>False for a dry run: nothing was changed.</summary>
        public bool Performed { get; }
    }

    /// <summary>
    /// Repairs a trajectory after a crash: the torn last line goes into &lt;file&gt;.torn (never deleted), the index is
    /// rebuilt from the stream, and an abandoned run can be closed as failed.
    /// </summary>
    public static class TrajectoryRepair
    {
        /// <summary>Repairs <paramref name="path"/>; with <paramref name="dryRun"/>, only says what it would do.</summary>
        public static TrajectoryRepairResult Repair(string path, bool markFailed, bool dryRun, TrajectoryWriterOptions? options = null)
        {
            if (dryRun)
            {
                TrajectorySummary summary = TrajectorySummary.Inspect(path);
                bool wouldFail = markFailed && summary.Status == TrajectoryStatus.InProgress;
                return new TrajectoryRepairResult(summary.Path, summary.TornBytes, summary.TornBytes > 0 ? NextTornPath(summary.Path) : null, summary.StepCount,
                    wouldFail ? TrajectoryStatus.Failed : summary.Status, wouldFail, performed: false);
            }

            // Opening the writer moves the torn tail aside and rewrites the index from the stream when it closes.
            TrajectoryWriter writer = TrajectoryWriter.Open(path, options);
            try
            {
                bool fail = markFailed && writer.Status == TrajectoryStatus.InProgress;
                if (fail)
                {
                    writer.Complete(TrajectoryStatus.Failed, null, "closed as failed by Repair-Trajectory: the run was abandoned");
                }
                else if (writer.Status != TrajectoryStatus.InProgress)
                {
                    RewriteClosedIndex(writer.Path);
                }

                return new TrajectoryRepairResult(writer.Path, writer.RepairedTornBytes, writer.TornPath, writer.LastStepId, fail ? TrajectoryStatus.Failed : writer.Status, fail, performed: true);
            }
            finally
            {
                writer.Dispose();
            }
        }

        /// <summary>
        /// Moves the bytes after <paramref name="completeEnd"/> into a new .torn file (durably), then cuts them off the
        /// stream. In that order: a crash in between leaves the tail in both places, never in neither.
        /// </summary>
        internal static string SetTornTailAside(string path, FileStream stream, long completeEnd)
        {
            var torn = new byte[stream.Length - completeEnd];
            stream.Seek(completeEnd, SeekOrigin.Begin);
            int done = 0;
            while (done < torn.Length)
            {
                int read = stream.Read(torn, done, torn.Length - done);
                if (read == 0)
                {
                    break;
                }

                done += read;
            }

            string tornPath = NextTornPath(path);
            new AtomicFileWriter().Write(tornPath, torn, new AtomicWriteOptions { FollowLinks = false });
            stream.SetLength(completeEnd);
            NativePlatform.Current.FlushData(stream);
            return tornPath;
        }

        private static string NextTornPath(string path)
        {
            string candidate = TrajectoryFiles.TornPathFor(path);
            // Anything at a name, a dangling link included, is left alone: the tail goes to the next free name.
            for (int n = 1; PlainFile.Exists(candidate); n++)
            {
                candidate = TrajectoryFiles.TornPathFor(path) + "." + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return candidate;
        }

        private static void RewriteClosedIndex(string path)
        {
            TrajectorySummary summary = TrajectorySummary.FromStream(path);
            new TrajectoryIndex(summary.Header, summary.Status, summary.LastStepId, summary.LastStepAtText, summary.Length, summary.FinalMetrics)
                .Write(TrajectoryFiles.IndexPathFor(path), new AtomicFileWriter(), DateTimeOffset.UtcNow);
        }
    }
}
