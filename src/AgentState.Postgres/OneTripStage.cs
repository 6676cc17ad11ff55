namespace AgentState.Postgres
{
    /// <summary>Where <see cref="PostgresGateway.Interrupt"/> is called.</summary>
    internal enum OneTripStage
    {
        /// <summary>The work is about to be sent: failing here, nothing was done.</summary>
        BeforeSend,

        /// <summary>The work's reply came: failing here, the work committed and the caller never heard.</summary>
        AfterReply,
    }
}
