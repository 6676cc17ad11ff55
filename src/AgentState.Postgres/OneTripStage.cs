namespace AgentState.Postgres
{
    /// <summary>Where <see cref="PostgresGateway.Interrupt"/> is called: the points where a lost connection means something different.</summary>
    internal enum OneTripStage
    {
        /// <summary>The work is about to be sent: failing here, nothing was done.</summary>
        BeforeSend,

        /// <summary>The work's reply came: failing here, the work committed and the caller never heard.</summary>
        AfterReply,

        /// <summary>The work made one trip and is about to make another (a claim returning a dead holder's items): what it did so far committed.</summary>
        BetweenTrips,

        /// <summary>The change whose reply was lost is about to be looked for: failing here, it stays unknown.</summary>
        BeforeReadBack,
    }
}
