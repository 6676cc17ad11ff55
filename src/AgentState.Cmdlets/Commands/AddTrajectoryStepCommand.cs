using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AgentState.Commands.Infrastructure;
using AgentState.Json;
using AgentState.Text;
using AgentState.Trajectories;

namespace AgentState.Commands
{
    /// <summary>
    /// <para type="synopsis">Appends ATIF steps to a trajectory: through a writer from Start-Trajectory, or by -Path or -SessionId (opening, locking, appending and closing, so that separate processes can append to one trajectory).</para>
    /// </summary>
    /// <remarks>
    /// With -Path or -SessionId it opens (and locks) the trajectory on the first step and keeps it for the rest of
    /// the pipeline. PowerShell disposes a cmdlet that is IDisposable however its pipeline ends (a terminating
    /// error, -ErrorAction Stop, Ctrl+C, Select-Object -First), and that is where the lock is let go.
    /// </remarks>
    [Cmdlet(VerbsCommon.Add, "TrajectoryStep", DefaultParameterSetName = WriterFields, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(PSObject))]
    public sealed class AddTrajectoryStepCommand : PSCmdlet, IDisposable
    {
        private const string WriterFields = "WriterFields";
        private const string WriterObject = "WriterObject";
        private const string PathFields = "PathFields";
        private const string PathObject = "PathObject";
        private const string SessionFields = "SessionFields";
        private const string SessionObject = "SessionObject";

        private TrajectoryWriter? _opened;
        private string? _target;
        private bool _failedToOpen;

        /// <summary>The writer Start-Trajectory returned.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = WriterFields)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = WriterObject)]
        public TrajectoryWriter? Writer { get; set; }

        /// <summary>The trajectory file; it is opened, locked, appended to and closed by this call.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathFields)]
        [Parameter(Mandatory = true, ParameterSetName = PathObject)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>The session, found under -Root; opened, locked, appended to and closed by this call.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SessionFields)]
        [Parameter(Mandatory = true, ParameterSetName = SessionObject)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SessionIdCompleter))]
        public string? SessionId { get; set; }

        /// <summary>The trajectories' root, for -SessionId.</summary>
        [Parameter(ParameterSetName = SessionFields)]
        [Parameter(ParameterSetName = SessionObject)]
        public string? Root { get; set; }

        /// <summary>Whole steps: hashtables or objects with ATIF field names (step_id and timestamp are assigned when absent).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = WriterObject)]
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PathObject)]
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = SessionObject)]
        public PSObject? InputObject { get; set; }

        /// <summary>source: system, user or agent.</summary>
        [Parameter(Mandatory = true, ParameterSetName = WriterFields)]
        [Parameter(Mandatory = true, ParameterSetName = PathFields)]
        [Parameter(Mandatory = true, ParameterSetName = SessionFields)]
        [ValidateSet("system", "user", "agent")]
        public string Source { get; set; } = "user";

        /// <summary>message (it may be empty).</summary>
        [Parameter(Mandatory = true, ParameterSetName = WriterFields)]
        [Parameter(Mandatory = true, ParameterSetName = PathFields)]
        [Parameter(Mandatory = true, ParameterSetName = SessionFields)]
        [AllowEmptyString]
        public string Message { get; set; } = string.Empty;

        /// <summary>reasoning_content (agent steps).</summary>
        [Parameter(ParameterSetName = WriterFields)]
        [Parameter(ParameterSetName = PathFields)]
        [Parameter(ParameterSetName = SessionFields)]
        public string? ReasoningContent { get; set; }

        /// <summary>model_name (agent steps).</summary>
        [Parameter(ParameterSetName = WriterFields)]
        [Parameter(ParameterSetName = PathFields)]
        [Parameter(ParameterSetName = SessionFields)]
        public string? ModelName { get; set; }

        /// <summary>tool_calls: @{ tool_call_id; function_name; arguments = @{...} } each (agent steps); hashtables or objects.</summary>
        [Parameter(ParameterSetName = WriterFields)]
        [Parameter(ParameterSetName = PathFields)]
        [Parameter(ParameterSetName = SessionFields)]
        public PSObject[]? ToolCall { get; set; }

        /// <summary>observation: @{ results = @(@{ source_call_id; content }) } (agent and system steps).</summary>
        [Parameter(ParameterSetName = WriterFields)]
        [Parameter(ParameterSetName = PathFields)]
        [Parameter(ParameterSetName = SessionFields)]
        public PSObject? Observation { get; set; }

        /// <summary>metrics: prompt_tokens, completion_tokens, cached_tokens, cost_usd... (agent steps).</summary>
        [Parameter(ParameterSetName = WriterFields)]
        [Parameter(ParameterSetName = PathFields)]
        [Parameter(ParameterSetName = SessionFields)]
        public PSObject? Metrics { get; set; }

        /// <summary>extra: custom data.</summary>
        [Parameter(ParameterSetName = WriterFields)]
        [Parameter(ParameterSetName = PathFields)]
        [Parameter(ParameterSetName = SessionFields)]
        public PSObject? Extra { get; set; }

        /// <summary>timestamp; now when absent.</summary>
        [Parameter(ParameterSetName = WriterFields)]
        [Parameter(ParameterSetName = PathFields)]
        [Parameter(ParameterSetName = SessionFields)]
        public DateTimeOffset? Timestamp { get; set; }

        /// <summary>With -Path or -SessionId: Durable (an fdatasync per step; the default) or Batch (one when the pipeline ends).</summary>
        [Parameter(ParameterSetName = PathFields)]
        [Parameter(ParameterSetName = PathObject)]
        [Parameter(ParameterSetName = SessionFields)]
        [Parameter(ParameterSetName = SessionObject)]
        public StepDurability Durability { get; set; } = StepDurability.Durable;

        /// <summary>With -Path or -SessionId: how long to wait for another writer, in seconds or as a time span.</summary>
        [Parameter(ParameterSetName = PathFields)]
        [Parameter(ParameterSetName = PathObject)]
        [Parameter(ParameterSetName = SessionFields)]
        [Parameter(ParameterSetName = SessionObject)]
        [SecondsToTimeSpan]
        public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Emit each step as written (with its step_id and timestamp).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private bool FromObjects => ParameterSetName == WriterObject || ParameterSetName == PathObject || ParameterSetName == SessionObject;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            OrderedJsonObject? step;
            try
            {
                // Every conversion first: a value with no JSON form is refused before anything is opened or written.
                step = FromObjects ? FromInput() : FromFields();
            }
            catch (JsonTreeException ex)
            {
                WriteError(PSJsonConverter.ErrorFor(ex, FromObjects ? (object?)InputObject : (Writer?.Path ?? SessionId ?? Path)));
                return;
            }

            if (step == null)
            {
                return;
            }

            TrajectoryWriter? writer = Writer;
            if (writer != null ? !ShouldProcess(writer.Path, $"Append step {writer.LastStepId + 1}") : !ShouldOpen())
            {
                return;
            }

            writer = writer ?? Open();
            if (writer == null)
            {
                return;
            }

            try
            {
                OrderedJsonObject written = writer.Append(step);
                if (PassThru)
                {
                    WriteObject(TrajectoryTargets.ToStepObject(written));
                }
            }
            catch (Exception ex) when (EngineErrors.For(ex, writer.Path) is ErrorRecord error)
            {
                WriteError(error);
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (Writer != null)
            {
                try
                {
                    Writer.Flush(); // A batch of steps from the pipeline: one fdatasync for all of them.
                }
                catch (Exception ex) when (EngineErrors.For(ex, Writer.Path) is ErrorRecord error)
                {
                    WriteError(error);
                }
            }

            Close();
        }

        /// <summary>Lets go of a trajectory this cmdlet opened, however the pipeline ended.</summary>
        /// <remarks>Not in StopProcessing: that runs on another thread, possibly in the middle of an append.</remarks>
        public void Dispose() => Close();

        /// <summary>
        /// Asks ShouldProcess before the trajectory is opened: opening takes its lock (creating the lock file) and
        /// closing refreshes its index, and under -WhatIf nothing on disk may change.
        /// </summary>
        private bool ShouldOpen()
        {
            if (_target == null && !_failedToOpen)
            {
                _target = TrajectoryTargets.Resolve(this, Path, null, SessionId, Root).FirstOrDefault();
                _failedToOpen = _target == null;
            }

            return _target != null && ShouldProcess(_target, _opened == null ? "Append a step" : $"Append step {_opened.LastStepId + 1}");
        }

        private TrajectoryWriter? Open()
        {
            if (_opened != null || _failedToOpen)
            {
                return _opened;
            }

            string file = _target!;

            try
            {
                _opened = TrajectoryWriter.Open(file, new TrajectoryWriterOptions { Durability = Durability, LockTimeout = LockTimeout });
                if (_opened.RepairedTornBytes > 0)
                {
                    WriteWarning($"A torn last line ({_opened.RepairedTornBytes} bytes) of '{file}' was moved to '{_opened.TornPath}'.");
                }
            }
            catch (Exception ex) when (EngineErrors.For(ex, file) is ErrorRecord error)
            {
                _failedToOpen = true;
                ThrowTerminatingError(error);
            }

            return _opened;
        }

        private void Close()
        {
            try
            {
                _opened?.Dispose();
            }
            finally
            {
                _opened = null;
            }
        }

        private OrderedJsonObject? FromInput()
        {
            if (PSJsonConverter.FromPowerShell(InputObject) is OrderedJsonObject step)
            {
                return step;
            }

            WriteError(new ErrorRecord(new PSArgumentException($"A step must be a hashtable or an object with ATIF field names; '{InputObject}' is neither."),
                "InvalidTrajectoryStep", ErrorCategory.InvalidData, InputObject));
            return null;
        }

        private OrderedJsonObject FromFields()
        {
            var step = new OrderedJsonObject { ["source"] = Source, ["message"] = Message };
            if (Timestamp != null)
            {
                step["timestamp"] = IsoTimestamp.Format(Timestamp.Value);
            }

            Put(step, "model_name", ModelName);
            Put(step, "reasoning_content", ReasoningContent);
            Put(step, "tool_calls", ToolCall == null ? null : PSJsonConverter.FromPowerShell(ToolCall, "$.tool_calls"));
            Put(step, "observation", PSJsonConverter.ObjectFromPowerShell(Observation, "$.observation"));
            Put(step, "metrics", PSJsonConverter.ObjectFromPowerShell(Metrics, "$.metrics"));
            Put(step, "extra", PSJsonConverter.ObjectFromPowerShell(Extra, "$.extra"));
            return step;
        }

        private static void Put(OrderedJsonObject step, string key, object? value)
        {
            if (value != null)
            {
                step[key] = value;
            }
        }
    }
}
