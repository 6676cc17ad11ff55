using System;
using AgentState.IO;
using AgentState.Locking;

namespace AgentState.Trajectories
{
    /// <summary>How a trajectory writer behaves.</summary>
    public sealed class TrajectoryWriterOptions
    {
        /// <summary>Per-step durability; Durable by default.</summary>
        public StepDurability Durability { get; set; } = StepDurability.Durable;

        /// <summary>
        /// Refresh the index after at most this many steps (it is a cache; the stream is the truth). A refresh is a
        /// rename over the old index, which costs about as much as a thousand batched steps, so not more often.
        /// </summary>
        public int IndexEverySteps { get; set; } = 1000;

        /// <summary>Refresh the index when this long has passed since the last refresh.</summary>
        public TimeSpan IndexEvery { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>How long to wait for another writer to let go.</summary>
        public TimeSpan LockTimeout { get; set; } = ExclusiveFileLock.DefaultTimeout;

        /// <summary>The clock for timestamps.</summary>
        public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

        /// <summary>The stream's write, fdatasync and truncate calls: the system's, unless a test makes one fail.</summary>
        public IAppendOperations Append { get; set; } = SystemAppendOperations.Instance;
    }
}
