using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using AgentState.Commands.Infrastructure;
using AgentState.Retry;
using AgentState.Runs;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Runs a script block until it succeeds, retrying retryable failures with exponential backoff, full jitter and an overall deadline.</para>
    /// <para type="description">A failure is a terminating error of the script block (throw, or -ErrorAction Stop). Its type is read from a TypedFailureException, from an ErrorId naming a type (Write-Error -ErrorId Timeout), or from the exception (TimeoutException: Timeout; IOException and network errors: InfrastructureError). Timeout, AgentCrash and InfrastructureError are retried by default; TypecheckFailed, TestFailed, VerificationFailed and Cancelled never are. -RetryOn, -RetryOnException and -RetryIf widen what is retried. When attempts run out the last error is rethrown unchanged. -Verbose shows each attempt, its error and the delay chosen; Ctrl+C stops a wait at once.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "WithRetry", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(object))]
    public sealed class InvokeWithRetryCommand : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        /// <summary>The work to run.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public ScriptBlock ScriptBlock { get; set; } = ScriptBlock.Create(string.Empty);

        /// <summary>Arguments for the script block ($args); $_ is not set. $attempt holds the attempt number.</summary>
        [Parameter]
        [Alias("Args")]
        public object[] ArgumentList { get; set; } = new object[0];

        /// <summary>Attempts in all (default 3).</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int MaxAttempts { get; set; } = 3;

        /// <summary>The cap of the first wait (seconds or a TimeSpan; default 1 s).</summary>
        [Parameter]
        [SecondsToTimeSpan]
        public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>How much each wait's cap grows (default 2).</summary>
        [Parameter]
        [ValidateRange(1.0, double.MaxValue)]
        public double Multiplier { get; set; } = 2;

        /// <summary>The longest wait (seconds or a TimeSpan; default 30 s).</summary>
        [Parameter]
        [SecondsToTimeSpan]
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Wait exactly each cap instead of a random time up to it.</summary>
        [Parameter]
        public SwitchParameter NoJitter { get; set; }

        /// <summary>The whole budget from the first attempt: no wait is begun that would end past it (seconds or a TimeSpan).</summary>
        [Parameter]
        [SecondsToTimeSpan]
        public TimeSpan? Deadline { get; set; }

        /// <summary>The failure types to retry, replacing the default Timeout, AgentCrash, InfrastructureError.</summary>
        [Parameter]
        public RunErrorType[]? RetryOn { get; set; }

        /// <summary>Exception types (and their subclasses) to retry as well.</summary>
        [Parameter]
        public Type[]? RetryOnException { get; set; }

        /// <summary>A script block given the ErrorRecord as $_; a true answer retries the failure too (never a never-retried type).</summary>
        [Parameter]
        public ScriptBlock? RetryIf { get; set; }

        /// <summary>Seeds the jitter, for a reproducible sequence of delays.</summary>
        [Parameter]
        public int? Seed { get; set; }

        /// <summary>A run whose events.jsonl records every attempt, failure (with its type and the wait chosen) and success.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(RunIdCompleter))]
        [EmptyAsAbsent]
        public string? RunId { get; set; }

        /// <summary>The iteration of -RunId the attempts belong to.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? Iteration { get; set; }

        /// <summary>The runs folder of -RunId: $env:AGENTSTATE_RUNS, else ./.agentstate/runs.</summary>
        [Parameter]
        [EmptyAsAbsent]
        public string? Root { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            RetryExecutor executor;
            try
            {
                var policy = new RetryPolicy
                {
                    MaxAttempts = MaxAttempts,
                    InitialDelay = InitialDelay,
                    Multiplier = Multiplier,
                    MaxDelay = MaxDelay,
                    Jitter = NoJitter ? RetryJitter.None : RetryJitter.Full,
                    Deadline = Deadline,
                };
                var classifier = new RetryClassifier(RetryOn, RetryOnException, RetryIf == null ? null : (Func<Exception, RunErrorType, bool>)Asks, TypeFromErrorId);
                executor = new RetryExecutor(policy, classifier, null, Seed is int seed ? new SystemRetryRandom(seed) : null);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "InvalidRetryPolicy", ErrorCategory.InvalidArgument, null));
                return;
            }

            if (!ShouldProcess(ScriptBlock.ToString().Trim(), "Run with retry"))
            {
                return;
            }

            IRetryObserver observer = new VerboseObserver(this);
            if (RunId != null)
            {
                RunStore? store = RunStoreResolver.Open(this, Root);
                if (store == null)
                {
                    return;
                }

                try
                {
                    observer = new RunEventRetryObserver(store, RunId, Iteration, observer);
                }
                catch (Exception ex) when (EngineErrors.For(ex, RunId) is ErrorRecord error)
                {
                    // Nothing has run: the work is not started without the record the caller asked for.
                    ThrowTerminatingError(error);
                    return;
                }
            }

            Collection<PSObject> output;
            try
            {
                output = executor.Run(Attempt, observer, _stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (RuntimeException failure) when (failure.ErrorRecord != null && !(failure is PipelineStoppedException))
            {
                // The last error as it was raised: the same ErrorRecord, ErrorId and exception.
                ThrowTerminatingError(failure.ErrorRecord);
                return;
            }

            WriteObject(output, enumerateCollection: true);
        }

        /// <inheritdoc />
        protected override void StopProcessing() => _stopping.Cancel();

        /// <inheritdoc />
        public void Dispose() => _stopping.Dispose();

        private Collection<PSObject> Attempt(int number)
        {
            var variables = new List<PSVariable> { new PSVariable("attempt", number) };
            return new Collection<PSObject>(ScriptBlock.InvokeWithContext(null, variables, ArgumentList).ToList());
        }

        private bool Asks(Exception error, RunErrorType type)
        {
            object target = error is IContainsErrorRecord record ? record.ErrorRecord : (object)new ErrorRecord(error, "RetryCandidate", ErrorCategory.NotSpecified, null);
            var variables = new List<PSVariable> { new PSVariable("_", target), new PSVariable("FailureType", type) };
            return RetryIf!.InvokeWithContext(null, variables, target).Any(o => LanguagePrimitives.IsTrue(o));
        }

        /// <summary>Write-Error -ErrorId Timeout (or 'Timeout,...') names the failure's type.</summary>
        private static RunErrorType? TypeFromErrorId(Exception error)
        {
            string? id = (error as IContainsErrorRecord)?.ErrorRecord?.FullyQualifiedErrorId;
            if (id == null)
            {
                return null;
            }

            string head = id.Split(',')[0];
            return Enum.GetNames(typeof(RunErrorType)).FirstOrDefault(n => string.Equals(n, head, StringComparison.OrdinalIgnoreCase)) is string name
                ? (RunErrorType)Enum.Parse(typeof(RunErrorType), name)
                : (RunErrorType?)null;
        }

        /// <summary>-Verbose: each attempt, its error and the delay chosen.</summary>
        private sealed class VerboseObserver : IRetryObserver
        {
            private readonly PSCmdlet _cmdlet;

            public VerboseObserver(PSCmdlet cmdlet) => _cmdlet = cmdlet;

            public void AttemptStarting(int number) => _cmdlet.WriteVerbose($"Attempt {number}: starting.");

            public void AttemptFailed(RetryAttempt attempt)
            {
                string next = attempt.Decision switch
                {
                    RetryDecision.Retry => "retrying in " + attempt.Delay!.Value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s",
                    RetryDecision.NotRetryable => "not retryable, giving up",
                    RetryDecision.AttemptsExhausted => "no attempts left, giving up",
                    _ => "the deadline would pass, giving up",
                };
                _cmdlet.WriteVerbose($"Attempt {attempt.Number} failed ({attempt.Type}): {attempt.Error.Message} -- {next}.");
            }

            public void AttemptSucceeded(int number) => _cmdlet.WriteVerbose($"Attempt {number}: succeeded.");
        }
    }
}
