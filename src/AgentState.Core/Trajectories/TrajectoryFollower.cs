using AgentState.IO;
using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace AgentState.Trajectories
{
    /// <summary>
    /// Follows a trajectory that another process is writing, like <c>Get-Content -Wait</c> but yielding only complete
    /// lines: each step as it lands, then the final line, where it stops. It looks for new lines at least every
    /// 50 ms, and stops early at the timeout or when cancelled.
    /// </summary>
    public static class TrajectoryFollower
    {
        /// <summary>The longest wait between looks at the file.</summary>
        public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

        /// <summary>
        /// The step and final lines of <paramref name="path"/>: from the start, or only those written from now on.
        /// Malformed lines come through too, for the caller to report. When <paramref name="timeout"/> ends the
        /// follow before the final line, <paramref name="onTimeout"/> is called just before the end, so that a
        /// caller can tell a timeout from a closed trajectory.
        /// </summary>
        public static IEnumerable<TrajectoryLine> Follow(string path, bool fromStart, TimeSpan? timeout = null, CancellationToken cancellation = default, Action? onTimeout = null)
        {
            string full = Path.GetFullPath(path);
            if (!PlainFile.Exists(full))
            {
                throw new TrajectoryNotFoundException($"'{full}' does not exist", full);
            }

            DateTime? deadline = timeout == null ? (DateTime?)null : DateTime.UtcNow + timeout.Value;
            using (FileStream stream = PlainFile.OpenRead(full, TrajectoryFiles.Role))
            {
                long offset = 0, lineNumber = 1;
                if (!fromStart)
                {
                    TrajectoryTail tail = TrajectoryTail.Read(stream);
                    offset = tail.CompleteEnd;
                    lineNumber = 0; // Unknown without a scan; the caller follows new lines only.
                    if (tail.LastLine?.Kind == TrajectoryLineKind.Final)
                    {
                        yield break; // Already closed: nothing more will come.
                    }
                }

                while (true)
                {
                    bool closed = false;
                    foreach (TrajectoryLine line in TrajectoryLineReader.Read(stream, offset, lineNumber, stopAtEnd: false))
                    {
                        offset = line.End;
                        lineNumber = lineNumber == 0 ? 0 : line.LineNumber + 1;
                        if (line.Kind == TrajectoryLineKind.Header)
                        {
                            continue;
                        }

                        yield return line;
                        if (line.Kind == TrajectoryLineKind.Final)
                        {
                            closed = true;
                            break;
                        }
                    }

                    if (closed || cancellation.IsCancellationRequested)
                    {
                        yield break;
                    }

                    if (deadline != null && DateTime.UtcNow >= deadline)
                    {
                        onTimeout?.Invoke();
                        yield break;
                    }

                    TimeSpan wait = deadline == null ? PollInterval : TimeSpan.FromTicks(Math.Min(PollInterval.Ticks, Math.Max(0, (deadline.Value - DateTime.UtcNow).Ticks)));
                    cancellation.WaitHandle.WaitOne(wait);
                }
            }
        }
    }
}
