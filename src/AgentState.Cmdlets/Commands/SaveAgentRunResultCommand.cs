using System;
using System.Management.Automation;
using AgentState.Commands.Infrastructure;
using AgentState.Json;
using AgentState.Runs;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Saves an iteration's agent result as agent-&lt;n&gt;.json: stdout and stderr in full (large output in .log files beside it), tool calls, tokens, duration, model, session, exit code, success and a typed error.</para>
    /// </summary>
    [Cmdlet(VerbsData.Save, "AgentRunResult", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(AgentResultRecord))]
    public sealed class SaveAgentRunResultCommand : PSCmdlet
    {
        /// <summary>The run.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RunIdCompleter))]
        public string RunId { get; set; } = string.Empty;

        /// <summary>The iteration: 1, 2, 3 ...</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        public int Iteration { get; set; }

        /// <summary>stdout as text.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string? Stdout { get; set; }

        /// <summary>stderr as text.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string? Stderr { get; set; }

        /// <summary>A file holding stdout, copied into the run (streamed when large).</summary>
        [Parameter]
        [EmptyAsAbsent]
        public string? StdoutPath { get; set; }

        /// <summary>A file holding stderr, copied into the run (streamed when large).</summary>
        [Parameter]
        [EmptyAsAbsent]
        public string? StderrPath { get; set; }

        /// <summary>The tool calls, kept as given.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public PSObject? ToolCalls { get; set; }

        /// <summary>Tokens used ({prompt, completion, cached, cost} or the agent's own form), kept as given.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public PSObject? TokensUsed { get; set; }

        /// <summary>How long the agent ran, in milliseconds.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public long? DurationMs { get; set; }

        /// <summary>The model.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public string? Model { get; set; }

        /// <summary>The agent's session id.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public string? SessionId { get; set; }

        /// <summary>The agent's exit code.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public int? ExitCode { get; set; }

        /// <summary>Whether it succeeded; by default, true unless there is an error or a non-zero exit code.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsAbsent]
        public bool? Success { get; set; }

        /// <summary>The typed error's type.</summary>
        [Parameter]
        [EmptyAsAbsent]
        public RunErrorType? ErrorType { get; set; }

        /// <summary>The typed error's message.</summary>
        [Parameter]
        [EmptyAsAbsent]
        public string? ErrorMessage { get; set; }

        /// <summary>The file (in the run folder) that holds the error's details.</summary>
        [Parameter]
        [EmptyAsAbsent]
        public string? ErrorFile { get; set; }

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
            var draft = new AgentResultDraft(Iteration)
            {
                DurationMs = DurationMs,
                Model = Model,
                SessionId = SessionId,
                ExitCode = ExitCode,
                Success = Success,
                Error = RunStoreResolver.Error(ErrorType, ErrorMessage, ErrorFile, ExitCode),
            };
            try
            {
                draft.ToolCalls = PSJsonConverter.FromPowerShell(ToolCalls, "$.toolCalls");
                if (PSJsonConverter.FromPowerShell(TokensUsed, "$.tokensUsed") is object tokens)
                {
                    draft.Extra = new OrderedJsonObject { ["tokensUsed"] = tokens };
                }
            }
            catch (JsonTreeException ex)
            {
                WriteError(PSJsonConverter.ErrorFor(ex, RunId));
                return;
            }

            draft.Stdout = Output(Stdout, StdoutPath, resolver);
            draft.Stderr = Output(Stderr, StderrPath, resolver);
            if ((StdoutPath != null && draft.Stdout == null) || (StderrPath != null && draft.Stderr == null))
            {
                return; // The path was reported.
            }

            if (!ShouldProcess($"{RunId} iteration {Iteration}", "Save agent result"))
            {
                return;
            }

            try
            {
                WriteObject(OutputObjects.AgentResult(store.SaveAgentResult(RunId, draft)));
            }
            catch (Exception ex) when (EngineErrors.For(ex, RunId) is ErrorRecord error)
            {
                WriteError(error);
            }
        }

        private AgentOutput? Output(string? text, string? path, ProviderPathResolver resolver)
        {
            if (path != null)
            {
                string? file = resolver.ResolveFolder(path); // Taken literally, as a file this time.
                if (file != null && !System.IO.File.Exists(file))
                {
                    WriteError(new ErrorRecord(new System.IO.FileNotFoundException($"Cannot find the output file '{file}'.", file), "FileNotFound", ErrorCategory.ObjectNotFound, path));
                    return null;
                }

                return file == null ? null : AgentOutput.FromFile(file);
            }

            return text == null ? null : AgentOutput.FromText(text);
        }
    }
}
