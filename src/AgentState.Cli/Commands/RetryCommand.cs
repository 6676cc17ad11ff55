using System;
using System.Collections.Generic;
using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using AgentState.Retry;
using AgentState.Runs;

namespace AgentState.Cli.Commands
{
    /// <summary><c>agentstate retry [options] -- command [args]</c>: run a process again while it fails in a retryable way.</summary>
    internal static class RetryCommand
    {
        /// <summary>What shells return when a command cannot be started.</summary>
        private const int CannotStart = 127;

        /// <summary>What shells return after Ctrl+C.</summary>
        private const int Interrupted = 130;

        public static Command Create()
        {
            var commandLine = new Argument<string[]>("command") { Description = "The command and its arguments, after --.", Arity = ArgumentArity.OneOrMore };
            var maxAttempts = new Option<int>("--max-attempts") { Description = "Attempts in all (default 3).", DefaultValueFactory = _ => 3 };
            var initialDelay = new Option<double>("--initial-delay") { Description = "Seconds: the cap of the first wait (default 1).", DefaultValueFactory = _ => 1 };
            var multiplier = new Option<double>("--multiplier") { Description = "How much each wait's cap grows (default 2).", DefaultValueFactory = _ => 2 };
            var maxDelay = new Option<double>("--max-delay") { Description = "Seconds: the longest wait (default 30).", DefaultValueFactory = _ => 30 };
            var noJitter = new Option<bool>("--no-jitter") { Description = "Wait exactly each cap instead of a random time up to it (full jitter)." };
            var deadline = new Option<double?>("--deadline") { Description = "Seconds from the start: no wait is begun that would end past it." };
            var retryOn = new Option<string[]>("--retry-on")
            {
                Description = "Failure types to retry, replacing the default Timeout, AgentCrash, InfrastructureError (repeatable). TypecheckFailed, TestFailed and VerificationFailed never are.",
            };
            var retryOnExit = new Option<int[]>("--retry-on-exit-code") { Description = "Exit codes to retry as well, whatever their type (repeatable)." };
            var seed = new Option<int?>("--seed") { Description = "Seed the jitter, for a reproducible sequence of waits." };
            var verbose = new Option<bool>("--verbose", "-v") { Description = "Print each attempt, its error and the wait chosen on stderr." };
            var runId = new Option<string?>("--run-id") { Description = "A run whose events.jsonl records every attempt, failure (type, wait chosen) and success." };
            var iteration = new Option<int?>("--iteration") { Description = "The iteration of --run-id the attempts belong to." };
            var runsRoot = new Option<string?>("--runs-root") { Description = "The runs folder of --run-id. Default: $AGENTSTATE_RUNS, else ./.agentstate/runs." };
            var command = new Command("retry", "Run a command until it succeeds, retrying failures by type (exit 124 Timeout, 75 InfrastructureError, 128+n AgentCrash) with exponential backoff and full jitter; exits with its last exit code.")
            {
                maxAttempts, initialDelay, multiplier, maxDelay, noJitter, deadline, retryOn, retryOnExit, seed, verbose, runId, iteration, runsRoot, commandLine,
            };
            command.SetAction(parsed => CommandRunner.Run(() =>
            {
                string[] argv = parsed.GetValue(commandLine)!;
                RetryPolicy policy;
                RetryClassifier classifier;
                try
                {
                    policy = new RetryPolicy
                    {
                        MaxAttempts = parsed.GetValue(maxAttempts),
                        InitialDelay = TimeSpan.FromSeconds(parsed.GetValue(initialDelay)),
                        Multiplier = parsed.GetValue(multiplier),
                        MaxDelay = TimeSpan.FromSeconds(parsed.GetValue(maxDelay)),
                        Jitter = parsed.GetValue(noJitter) ? RetryJitter.None : RetryJitter.Full,
                        Deadline = parsed.GetValue(deadline) is double d ? TimeSpan.FromSeconds(d) : (TimeSpan?)null,
                    };
                    int[] codes = parsed.GetValue(retryOnExit) ?? Array.Empty<int>();
                    classifier = new RetryClassifier(
                        Types(parsed.GetValue(retryOn)),
                        null,
                        codes.Length == 0 ? null : (e, _) => e is ProcessExitFailure p && codes.Contains(p.ExitCode),
                        null);
                }
                catch (ArgumentException ex)
                {
                    throw new UsageException(ex.Message);
                }

                IRetryRandom random = parsed.GetValue(seed) is int s ? new SystemRetryRandom(s) : new SystemRetryRandom();
                IRetryObserver? observer = parsed.GetValue(verbose) ? new StderrObserver(argv[0]) : null;
                if (parsed.GetValue(runId) is string run)
                {
                    if (parsed.GetValue(iteration) is int i && i < 1)
                    {
                        throw new UsageException("--iteration counts from 1.");
                    }

                    // A missing run fails here, before the command is ever started.
                    var store = new RunStore(parsed.GetValue(runsRoot) ?? RunStore.DefaultRoot(Environment.CurrentDirectory));
                    observer = new RunEventRetryObserver(store, run, parsed.GetValue(iteration), observer);
                }

                using var cancel = new CancellationTokenSource();
                ConsoleCancelEventHandler onCancel = (_, e) =>
                {
                    e.Cancel = true; // The child sees its own Ctrl+C; this process stops waiting at once.
                    cancel.Cancel();
                };
                Console.CancelKeyPress += onCancel;
                try
                {
                    new RetryExecutor(policy, classifier, null, random).Run(n => RunOnce(argv), observer, cancel.Token);
                    return ExitCodes.Success;
                }
                catch (ProcessExitFailure failure)
                {
                    return failure.ExitCode;
                }
                catch (OperationCanceledException)
                {
                    Console.Error.WriteLine("agentstate: retry stopped by Ctrl+C.");
                    return Interrupted;
                }
                catch (Win32Exception ex)
                {
                    Console.Error.WriteLine($"agentstate: cannot start '{argv[0]}': {ex.Message}");
                    return CannotStart;
                }
                finally
                {
                    Console.CancelKeyPress -= onCancel;
                }
            }));
            return command;
        }

        private static IEnumerable<RunErrorType>? Types(string[]? names)
        {
            if (names == null || names.Length == 0)
            {
                return null;
            }

            return names.SelectMany(n => n.Split(',')).Select(n => Enum.TryParse(n.Trim(), ignoreCase: true, out RunErrorType type) && Enum.IsDefined(typeof(RunErrorType), type)
                ? type
                : throw new UsageException($"'{n}' is not a failure type: {string.Join(", ", Enum.GetNames(typeof(RunErrorType)))}.")).ToArray();
        }

        private static int RunOnce(string[] argv)
        {
            var info = new ProcessStartInfo(argv[0]) { UseShellExecute = false };
            foreach (string argument in argv.Skip(1))
            {
                info.ArgumentList.Add(argument);
            }

            using Process child = Process.Start(info) ?? throw new Win32Exception($"'{argv[0]}' did not start.");
            child.WaitForExit();
            return child.ExitCode == 0 ? 0 : throw new ProcessExitFailure(string.Join(" ", argv), child.ExitCode);
        }

        /// <summary>-v: one line per attempt on stderr, so that a log shows what was retried and why.</summary>
        private sealed class StderrObserver : IRetryObserver
        {
            private readonly string _name;

            public StderrObserver(string name) => _name = name;

            public void AttemptStarting(int number) => Console.Error.WriteLine($"agentstate: retry: attempt {number} of '{_name}'");

            public void AttemptFailed(RetryAttempt attempt)
            {
                string next = attempt.Decision switch
                {
                    RetryDecision.Retry => "Retrying in " + attempt.Delay!.Value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s.",
                    RetryDecision.NotRetryable => "Not retryable: giving up.",
                    RetryDecision.AttemptsExhausted => "No attempts left: giving up.",
                    _ => "The deadline would pass: giving up.",
                };
                Console.Error.WriteLine($"agentstate: retry: attempt {attempt.Number} failed ({attempt.Type}): {attempt.Error.Message} {next}");
            }

            public void AttemptSucceeded(int number) => Console.Error.WriteLine($"agentstate: retry: attempt {number} succeeded");
        }
    }
}
