using System;

namespace AgentState.Retry
{
    /// <summary>Where jitter comes from: a fixed seed makes the backoff sequence reproducible in tests.</summary>
    public interface IRetryRandom
    {
        /// <summary>A number in [0, 1].</summary>
        double NextFraction();
    }

    /// <summary><see cref="System.Random"/> behind <see cref="IRetryRandom"/>; thread-safe.</summary>
    public sealed class SystemRetryRandom : IRetryRandom
    {
        private readonly Random _random;

        /// <summary>Seeded from the clock and the process, so that callers retrying together spread out.</summary>
        public SystemRetryRandom()
            : this(new Random(unchecked(Environment.TickCount * 397 ^ System.Threading.Thread.CurrentThread.ManagedThreadId ^ Guid.NewGuid().GetHashCode())))
        {
        }

        /// <summary>A fixed sequence for a fixed seed.</summary>
        public SystemRetryRandom(int seed)
            : this(new Random(seed))
        {
        }

        private SystemRetryRandom(Random random) => _random = random;

        /// <inheritdoc/>
        public double NextFraction()
        {
            lock (_random)
            {
                return _random.NextDouble();
            }
        }
    }
}
