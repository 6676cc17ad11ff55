namespace AgentState.IO
{
    /// <summary>Options of one atomic replace.</summary>
    public sealed class AtomicWriteOptions
    {
        /// <summary>The defaults: durable, no validation, the folder must exist.</summary>
        public static AtomicWriteOptions Default { get; } = new AtomicWriteOptions();

        /// <summary>Whether the write must survive a power cut (the default) or only a killed process.</summary>
        public Durability Durability { get; set; } = Durability.Durable;

        /// <summary>A check the content must pass first; nothing is written when it fails.</summary>
        public ContentValidation Validation { get; set; } = ContentValidation.None;

        /// <summary>Create missing parent folders instead of failing.</summary>
        public bool CreateDirectories { get; set; }

        /// <summary>
        /// Follow a symbolic link at the path to the file it names (the default: the caller chose the path). False for
        /// the files of the module's own stores, where a link is refused: someone else may have planted it.
        /// </summary>
        public bool FollowLinks { get; set; } = true;
    }
}
