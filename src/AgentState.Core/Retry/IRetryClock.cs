using System;
using System.Diagnostics;
using System.Threading;

namespace AgentState.Retry
{
    /// <summary>Time and waiting for retry, injectable so that tests check every delay without sleeping.</summary>
    public interface IRetryClock
    {
        /// <summary>Time since an arbitrary fixed start; only differences are used, so it never jumps with the wall clock.</summary>
        TimeSpan Elapsed { get; }

        /// <summary>Waits <paramref name="delay"/>, returning at once with <see cref="OperationCanceledException"/> when cancelled.</summary>
        void Wait(TimeSpan delay, CancellationToken cancellation);
    }

    /// <summary>The real clock: a monotonic stopwatch, and a wait on the cancellation token's handle.</summary>
    public sealed class SystemRetryClock : IRetryClock
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();

        /// <summary>The one real clock.</summary>
        public static SystemRetryClock Instance { get; } = new SystemRetryClock();

        /// <inheritdoc/>
        public TimeSpan Elapsed => _watch.Elapsed;

        /// <inheritdoc/>
        public void Wait(TimeSpan delay, CancellationToken cancellation)
        {
            cancellation.ThrowIfCancellationRequested();
            TimeSpan end = _watch.Elapsed + delay;
            while (true)
            {
                TimeSpan left = end - _watch.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    return;
                }

                // WaitOne takes at most int.MaxValue milliseconds; a longer delay waits in pieces.
                int milliseconds = (int)Math.Min(int.MaxValue - 1, Math.Ceiling(left.TotalMilliseconds));
                if (cancellation.WaitHandle.WaitOne(milliseconds))
                {
                    cancellation.ThrowIfCancellationRequested();
                }
            }
        }
    }
}
