using System;
using System.Collections;
using System.Management.Automation;
using System.Threading;
using AgentState.Commands.Infrastructure;
using AgentState.Runs;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Runs an agent process for an iteration of a run and captures it: stdout and stderr streamed to the run's log files as they come, exit code, duration, a timeout that kills the whole process tree, and the result saved with its error type.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AgentRunProcess", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AgentResultRecord))]
    public sealed class InvokeAgentRunProcessCommand : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        /// <summary>The run.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RunIdCompleter))]
        public string RunId { get; set; } = string.Empty;

        /// <summary>The iteration: 1, 2, 3 ...</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        public int Iteration { get; set; }

        /// <summary>The agent's program: a path, or a name found on PATH.</summary>
        [Parameter(Mandatory = true, Position = 2)]
        public string FilePath { get; set; } = string.Empty;

        /// <summary>Its arguments, each passed as one argument, as given.</summary>
        [Parameter(Position = 3)]
        [Alias("Args")]
        [AllowEmptyString]
        public string[]? ArgumentList { get; set; }

        /// <summary>The folder to run it in (default: the current location).</summary>
        [Parameter]
        [EmptyAsAbsent]
        public string? WorkingDirectory { get; set; }

        /// <summary>Environment variables to set: a hashtable of names and values ($null removes one).</summary>
        [Parameter]
        public Hashtable? Environment { get; set; }

        /// <summary>Seconds (or a time span) before the agent and every process it started are killed.</summary>
        [Parameter]
        [SecondsToTimeSpan]
        public TimeSpan? Timeout { get; set; }

        /// <summary>The model, to record.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public string? Model { get; set; }

        /// <summary>The agent's session id, to record.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public string? SessionId { get; set; }

        /// <summary>The runs folder: $env:AGENTSTATE_RUNS, else ./.agentstate/runs.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public string? Root { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            RunStore? store = RunStoreResolver.Open(this, Root);
            if (store == null)
            {
                return;
            }

            var resolver = new ProviderPathResolver(this);
            string? folder = WorkingDirectory == null ? SessionState.Path.CurrentFileSystemLocation.ProviderPath : resolver.ResolveFolder(WorkingDirectory);
            if (folder == null)
            {
                return;
            }

            var request = new CaptureRequest(Iteration, FilePath)
            {
                Arguments = ArgumentList ?? new string[0],
                WorkingDirectory = folder,
                Timeout = Timeout,
                Model = Model,
                SessionId = SessionId,
            };
            if (Environment != null)
            {
                foreach (DictionaryEntry variable in Environment)
                {
                    request.Environment[variable.Key.ToString()!] = variable.Value is null ? null : LanguagePrimitives.ConvertTo<string>(variable.Value);
                }
            }

            if (!ShouldProcess($"{RunId} iteration {Iteration}", $"Run and capture '{FilePath}'"))
            {
                return;
            }

            try
            {
                AgentResultRecord result = RunCapture.Run(store, RunId, request, p => { }, _stop.Token);
                if (result.Error is RunError error)
                {
                    // The result is the output; the failure is said aloud too, with where to look.
                    WriteWarning($"Run {result.RunId} iteration {result.Iteration}: {error.Type}: {error.Message} Details: {System.IO.Path.Combine(result.Folder, error.File ?? RunFiles.Agent(result.Iteration))}");
                }

                WriteObject(OutputObjects.AgentResult(result));
            }
            catch (Exception ex) when (EngineErrors.For(ex, RunId) is ErrorRecord error)
            {
                WriteError(error);
            }
        }

        /// <inheritdoc />
        protected override void StopProcessing() => _stop.Cancel();

        /// <inheritdoc />
        public void Dispose() => _stop.Dispose();
    }
}
