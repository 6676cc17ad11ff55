namespace AgentState.Trajectories
{
    /// <summary>Where an in-progress (or abandoned) trajectory can be resumed.</summary>
    public sealed class TrajectoryRecoveryPlan
    {
        internal TrajectoryRecoveryPlan(long lastCompleteStepId, string? lastCompleteStepAt, long resumeAtOffset, long tornBytes)
        {
            LastCompleteStepId = lastCompleteStepId;
            _lastCompleteStepAtText = lastCompleteStepAt;
            ResumeAtOffset = resumeAtOffset;
            TornBytes = tornBytes;
        }

        /// <summary>The last step that is whole in the stream.</summary>
        public long LastCompleteStepId { get; }

        private readonly string? _lastCompleteStepAtText;

        /// <summary>Its timestamp.</summary>
        public System.DateTimeOffset? LastCompleteStepAt => Text.IsoTimestamp.Parse(_lastCompleteStepAtText);

        /// <summary>The step_id the next append gets.</summary>
        public long ResumeAtStepId => LastCompleteStepId + 1;

        /// <summary>The byte offset the next line is written at.</summary>
        public long ResumeAtOffset { get; }

        /// <summary>Bytes of a torn last line that opening for append (or Repair-Trajectory) moves into the .torn file.</summary>
        public long TornBytes { get; }

        /// <inheritdoc />
        public override string ToString() =>
            $"resume at step {ResumeAtStepId} (after step {LastCompleteStepId}{(_lastCompleteStepAtText == null ? string.Empty : " of " + _lastCompleteStepAtText)})"
            + (TornBytes > 0 ? $"; {TornBytes} torn bytes to set aside" : string.Empty);
    }
}
