using System;

namespace AgentState.Retry
{
    /// <summary>
    /// How often and how patiently to try again: attempt n (from 1) that fails waits a delay drawn from
    /// <c>min(MaxDelay, InitialDelay × Multiplier^(n-1))</c>, unless attempts are used up or the wait would end past the
    /// deadline.
    /// </summary>
    public sealed class RetryPolicy
    {
        private int _maxAttempts = 3;
        private TimeSpan _initialDelay = TimeSpan.FromSeconds(1);
        private double _multiplier = 2;
        private TimeSpan _maxDelay = TimeSpan.FromSeconds(30);
        private TimeSpan? _deadline;

        /// <summary>Attempts in all, the first included (default 3; at least 1).</summary>
        public int MaxAttempts
        {
            get => _maxAttempts;
            set => _maxAttempts = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxAttempts), value, "At least one attempt.");
        }

        /// <summary>The cap of the first wait (default 1 s; not negative).</summary>
        public TimeSpan InitialDelay
        {
            get => _initialDelay;
            set => _initialDelay = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(InitialDelay), value, "A delay cannot be negative.");
        }

        /// <summary>How much each cap grows over the one before (default 2; at least 1).</summary>
        public double Multiplier
        {
            get => _multiplier;
            set => _multiplier = value >= 1 && !double.IsInfinity(value) ? value : throw new ArgumentOutOfRangeException(nameof(Multiplier), value, "The multiplier must be a finite number of at least 1.");
        }

        /// <summary>No wait is longer than this (default 30 s; not below <see cref="InitialDelay"/> when used).</summary>
        public TimeSpan MaxDelay
        {
            get => _maxDelay;
            set => _maxDelay = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(MaxDelay), value, "A delay cannot be negative.");
        }

        /// <summary>Full jitter (the default) or none.</summary>
        public RetryJitter Jitter { get; set; } = RetryJitter.Full;

        /// <summary>
        /// The whole budget from the first attempt on: no attempt starts, and no wait is begun, that would end past it.
        /// Null (the default): no deadline.
        /// </summary>
        public TimeSpan? Deadline
        {
            get => _deadline;
            set => _deadline = value == null || value.Value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(Deadline), value, "The deadline must be positive.");
        }

        /// <summary>The most attempt <paramref name="failedAttempt"/> (from 1) may wait before the next one.</summary>
        public TimeSpan CapFor(int failedAttempt)
        {
            if (failedAttempt < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(failedAttempt), failedAttempt, "Attempts count from 1.");
            }

            // In doubles: the power overflows long before the attempts run out, and the cap must then stay MaxDelay.
            double ticks = _initialDelay.Ticks * Math.Pow(_multiplier, failedAttempt - 1);
            return ticks >= _maxDelay.Ticks || double.IsNaN(ticks) ? _maxDelay : TimeSpan.FromTicks((long)ticks);
        }

        /// <summary>The wait after attempt <paramref name="failedAttempt"/>: the cap, or with full jitter a uniform draw in [0, cap].</summary>
        public TimeSpan DelayFor(int failedAttempt, IRetryRandom random)
        {
            TimeSpan cap = CapFor(failedAttempt);
            if (Jitter == RetryJitter.None)
            {
                return cap;
            }

            double fraction = random.NextFraction();
            if (fraction < 0 || fraction > 1 || double.IsNaN(fraction))
            {
                throw new InvalidOperationException($"The random source gave {fraction}, outside [0, 1].");
            }

            return TimeSpan.FromTicks((long)Math.Round(cap.Ticks * fraction));
        }
    }
}
