using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using AgentState.Agents;
using AgentState.IO;
using AgentState.Json;
using AgentState.Locking;
using AgentState.Text;

namespace AgentState.Runs
{
    /// <summary>
    /// The run store of seed 001: <c>&lt;root&gt;/&lt;runId&gt;/</c> holds run.json, agent-&lt;n&gt;.json,
    /// verification-&lt;n&gt;.json, iteration-&lt;n&gt;.json and events.jsonl. Every file is written with the durable
    /// atomic replace, every event appended durably, and every change made under the run's lock (run.json.lock),
    /// so that many processes can save into one run. Fields this module does not know survive every rewrite.
    /// </summary>
    public sealed class RunStore
    {
        /// <summary>The environment variable that names the default root.</summary>
        public const string RootVariable = "AGENTSTATE_RUNS";

        /// <summary>The default root under the current location: <c>.agentstate/runs</c>.</summary>
        public static readonly string DefaultRootName = Path.Combine(".agentstate", "runs");

        /// <summary>Output larger than this many bytes goes to a .log file beside agent-&lt;n&gt;.json instead of inline.</summary>
        public const int DefaultInlineLimit = 64 * 1024;

        private readonly AtomicFileWriter _writer = new AtomicFileWriter();
        private readonly AtomicWriteOptions _options;
        private readonly TimeSpan _lockTimeout;
        private readonly Func<DateTimeOffset> _clock;

        /// <summary>The root used when none is given: $AGENTSTATE_RUNS (relative to <paramref name="currentDirectory"/>), else ./.agentstate/runs.</summary>
        public static string DefaultRoot(string currentDirectory)
        {
            string? configured = Environment.GetEnvironmentVariable(RootVariable);
            return Path.Combine(currentDirectory, string.IsNullOrEmpty(configured) ? DefaultRootName : configured);
        }

        /// <summary>A store at <paramref name="root"/> (the folder that holds the run folders).</summary>
        public RunStore(string root, TimeSpan? lockTimeout = null, Func<DateTimeOffset>? clock = null, AtomicWriteOptions? options = null)
        {
            Root = Path.GetFullPath(root ?? throw new ArgumentNullException(nameof(root)));
            _lockTimeout = lockTimeout ?? ExclusiveFileLock.DefaultTimeout;
            _clock = clock ?? (() => DateTimeOffset.Now);
            AtomicWriteOptions given = options ?? AtomicWriteOptions.Default;

            // The run folders are the module's own: a link found among them was planted, never followed.
            _options = new AtomicWriteOptions { Durability = given.Durability, Validation = given.Validation, FollowLinks = false };
        }

        /// <summary>The root folder.</summary>
        public string Root { get; }

        /// <summary>Output over this many bytes is kept in a .log file rather than inline (default 64 KiB).</summary>
        public int InlineLimit { get; set; } = DefaultInlineLimit;

        /// <summary>The current time as the store stamps it.</summary>
        public DateTimeOffset Now => _clock();

        /// <summary>True when the root folder exists.</summary>
        public bool Exists => Directory.Exists(Root);

        /// <summary>Fails when the root does not exist.</summary>
        /// <exception cref="RunStoreNotFoundException">It does not.</exception>
        public void ThrowIfMissing()
        {
            if (!Exists)
            {
                throw new RunStoreNotFoundException(Root);
            }
        }

        /// <summary>A run's folder; the id is validated first.</summary>
        /// <exception cref="InvalidInputException">The id breaks the file-name rule.</exception>
        public string FolderFor(string runId) => Path.Combine(Root, FileNameRules.Validate(runId, "run id"));

        /// <summary>The path of a file in a run's folder.</summary>
        public string PathFor(string runId, string fileName) => Path.Combine(FolderFor(runId), fileName);

        /// <summary>Creates a run: its folder, run.json, and the run:start event.</summary>
        /// <exception cref="RunExistsException">The run already has a run.json.</exception>
        public RunRecord Create(RunDraft draft)
        {
            string runId = draft.Id ?? Guid.NewGuid().ToString("D");
            string folder = FolderFor(runId);
            if (draft.State != RunState.Queued && draft.State != RunState.Running)
            {
                throw new InvalidInputException($"A new run is queued or running (not {draft.State.ToFileText()}).", "state");
            }

            Directory.CreateDirectory(Root);
            PlainFile.CreateFolder(folder, "run folder");
            string path = Path.Combine(folder, RunFiles.Run);
            using (Lock(folder))
            {
                if (PlainFile.Exists(path))
                {
                    throw new RunExistsException(runId, folder);
                }

                string stamp = Stamp();
                var fields = new OrderedJsonObject
                {
                    [RunFields.Id] = runId,
                    [RunFields.WorkOrderId] = draft.WorkOrderId,
                    [RunFields.State] = draft.State.ToFileText(),
                    [RunFields.Result] = null,
                    [RunFields.Error] = null,
                    [RunFields.SessionId] = draft.SessionId,
                    [RunFields.Iteration] = 0L,
                    [RunFields.CreatedAt] = stamp,
                };
                if (draft.State == RunState.Running)
                {
                    fields[RunFields.StartedAt] = stamp;
                }

                fields[RunFields.UpdatedAt] = stamp;
                fields[RunFields.Metadata] = draft.Metadata ?? new OrderedJsonObject();
                var record = new RunRecord(path, fields, null);
                WriteDocument(record.Path, record.Fields, null);
                Event(folder, runId, new RunEventDraft(RunEventTypes.RunStart) { File = RunFiles.Run, Data = new OrderedJsonObject { ["state"] = draft.State.ToFileText() } });
                return record;
            }
        }

        /// <summary>A run, or null when it has no run.json.</summary>
        /// <exception cref="RunCorruptException">run.json exists but cannot be read as a run.</exception>
        public RunRecord? TryGet(string runId)
        {
            string folder = FolderFor(runId);
            RefuseLinkedFolder(folder);
            return ReadRun(folder);
        }

        /// <summary>A run.</summary>
        /// <exception cref="RunNotFoundException">It has no run.json.</exception>
        public RunRecord Get(string runId) => TryGet(runId) ?? throw new RunNotFoundException(runId, PathFor(runId, RunFiles.Run));

        /// <summary>
        /// Saves an iteration's agent result as agent-&lt;n&gt;.json (output over <see cref="InlineLimit"/> into the .log
        /// files beside it, copied streamed), notes the iteration in run.json, and appends agent:complete (after
        /// iteration:start, when this is the iteration's first file).
        /// </summary>
        public AgentResultRecord SaveAgentResult(string runId, AgentResultDraft draft) => InRun(runId, (folder, run) =>
        {
            int n = draft.Iteration;
            string path = Path.Combine(folder, RunFiles.Agent(n));
            AgentResultRecord? existing = ReadDocument(path, "agent result", (p, f, s) => new AgentResultRecord(p, f, s));
            OrderedJsonObject fields = existing?.Fields ?? new OrderedJsonObject();
            if (draft.Extra != null)
            {
                foreach (KeyValuePair<string, object?> member in draft.Extra)
                {
                    fields[member.Key] = member.Value;
                }
            }

            fields[AgentResultFields.Iteration] = (long)n;
            fields[AgentResultFields.Status] = AgentResultFields.Complete;
            JsonFields.SetIfGiven(fields, AgentResultFields.SessionId, draft.SessionId);
            JsonFields.SetIfGiven(fields, AgentResultFields.Model, draft.Model);
            bool success = draft.Success ?? (draft.Error == null && (draft.ExitCode ?? 0) == 0 && draft.Signal == null);
            fields[AgentResultFields.Success] = success;
            JsonFields.SetIfGiven(fields, AgentResultFields.ExitCode, (long?)draft.ExitCode);
            JsonFields.SetIfGiven(fields, AgentResultFields.Signal, (long?)draft.Signal);
            JsonFields.SetIfGiven(fields, AgentResultFields.DurationMs, draft.DurationMs);
            StoreOutput(folder, n, draft.Stdout, fields, AgentResultFields.Stdout, AgentResultFields.StdoutFile, AgentResultFields.StdoutBytes, RunFiles.Stdout(n));
            StoreOutput(folder, n, draft.Stderr, fields, AgentResultFields.Stderr, AgentResultFields.StderrFile, AgentResultFields.StderrBytes, RunFiles.Stderr(n));
            JsonFields.SetIfGiven(fields, AgentResultFields.ToolCalls, draft.ToolCalls);
            JsonFields.SetIfGiven(fields, AgentResultFields.TokensUsed, draft.TokensUsed?.ToJson());
            fields[AgentResultFields.Error] = draft.Error?.ToJson();
            JsonFields.SetIfGiven(fields, AgentResultFields.StartedAt, draft.StartedAt is DateTimeOffset s ? IsoTimestamp.Format(s) : null);
            fields[AgentResultFields.CompletedAt] = IsoTimestamp.Format(draft.CompletedAt ?? Now);
            var record = new AgentResultRecord(path, fields, existing?.Source);

            StartIterationIfNew(folder, run, n, draft.StartedAt);
            WriteDocument(path, fields, existing?.Source);
            NoteIteration(run, n, draft.SessionId);
            var data = new OrderedJsonObject { ["success"] = success };
            JsonFields.SetIfGiven(data, "exitCode", (long?)draft.ExitCode);
            JsonFields.SetIfGiven(data, "errorType", draft.Error?.Type.ToString());
            Event(folder, run.Id, new RunEventDraft(RunEventTypes.AgentComplete) { Iteration = n, File = RunFiles.Agent(n), Data = data });
            return record;
        });

        /// <summary>
        /// Saves a verifier's report as verification-&lt;n&gt;.json, kept as given, with passed and failingChecks added
        /// when they can be read from it; <paramref name="passed"/> overrides what the report says.
        /// </summary>
        public VerificationRecord SaveVerification(string runId, int iteration, object? report, bool? passed = null) => InRun(runId, (folder, run) =>
        {
            int n = RunIteration.Check(iteration);
            string path = Path.Combine(folder, RunFiles.Verification(n));
            VerificationRecord? existing = ReadDocument(path, "verification report", (p, f, s) => new VerificationRecord(p, f, s));
            OrderedJsonObject given = report as OrderedJsonObject ?? new OrderedJsonObject { ["report"] = report };
            OrderedJsonObject fields = existing?.Fields ?? new OrderedJsonObject();
            foreach (KeyValuePair<string, object?> member in given)
            {
                fields[member.Key] = member.Value;
            }

            if (!fields.ContainsKey("iteration"))
            {
                fields["iteration"] = (long)n;
            }

            List<string> failing = VerificationReading.FindFailingChecks(given, out int checks);
            bool? verdict = passed ?? VerificationReading.ReadPassed(given) ?? (failing.Count > 0 ? false : checks > 0 ? true : (bool?)null);
            fields[VerificationReading.PassedField] = verdict;
            if (!(JsonFields.Value(given, VerificationReading.FailingChecksField) is List<object?>))
            {
                fields[VerificationReading.FailingChecksField] = failing.Cast<object?>().ToList();
            }

            fields["savedAt"] = Stamp();
            StartIterationIfNew(folder, run, n, null);
            WriteDocument(path, fields, existing?.Source);
            NoteIteration(run, n, null);
            var data = new OrderedJsonObject { ["passed"] = verdict, ["failingChecks"] = (long)new VerificationRecord(path, fields, null).FailingChecks.Count };
            Event(folder, run.Id, new RunEventDraft(RunEventTypes.VerificationComplete) { Iteration = n, File = RunFiles.Verification(n), Data = data });
            return new VerificationRecord(path, fields, existing?.Source);
        });

        /// <summary>
        /// Saves an iteration's metadata as iteration-&lt;n&gt;.json (members not given keep the file's values), appending
        /// iteration:start when the iteration is new and iteration:complete when it completes.
        /// </summary>
        public IterationRecord SaveIteration(string runId, IterationDraft draft) => InRun(runId, (folder, run) =>
        {
            int n = draft.Iteration;
            IterationRecord started = StartIterationIfNew(folder, run, n, draft.StartedAt);
            OrderedJsonObject fields = started.Fields;
            if (draft.Extra != null)
            {
                foreach (KeyValuePair<string, object?> member in draft.Extra)
                {
                    fields[member.Key] = member.Value;
                }
            }

            fields[IterationFields.Iteration] = (long)n;
            JsonFields.SetIfGiven(fields, IterationFields.StartedAt, draft.StartedAt is DateTimeOffset s ? IsoTimestamp.Format(s) : null);
            JsonFields.SetIfGiven(fields, IterationFields.HarnessProfile, draft.HarnessProfile);
            JsonFields.SetIfGiven(fields, IterationFields.LoopStrategy, draft.LoopStrategy);
            JsonFields.SetIfGiven(fields, IterationFields.Result, draft.Result);
            JsonFields.SetIfGiven(fields, IterationFields.Error, draft.Error?.ToJson());
            bool completes = draft.Complete && started.CompletedAt == null;
            if (draft.Complete)
            {
                fields[IterationFields.CompletedAt] = IsoTimestamp.Format(draft.CompletedAt ?? started.CompletedAt ?? Now);
            }

            NoteFiles(folder, n, fields);
            WriteDocument(started.Path, fields, started.Source);
            NoteIteration(run, n, null);
            if (completes)
            {
                var data = new OrderedJsonObject();
                JsonFields.SetIfGiven(data, "result", draft.Result);
                JsonFields.SetIfGiven(data, "errorType", draft.Error?.Type.ToString());
                Event(folder, run.Id, new RunEventDraft(RunEventTypes.IterationComplete) { Iteration = n, File = RunFiles.Iteration(n), Data = data });
            }

            return new IterationRecord(started.Path, fields, started.Source);
        });

        /// <summary>Completes a run: final state, result and typed error in run.json, then run:complete.</summary>
        /// <exception cref="RunFinishedException">It had finished already and Force was not given.</exception>
        public RunRecord Complete(string runId, RunCompletion completion) => InRun(runId, (folder, run) =>
        {
            if (run.State is RunState current && current.IsFinished() && !completion.Force)
            {
                throw new RunFinishedException(run.Id, run.StateText!);
            }

            RunState state = completion.State ?? (completion.Error == null ? RunState.Succeeded : RunState.Failed);
            if (!state.IsFinished())
            {
                throw new InvalidInputException($"A run completes as succeeded, failed or cancelled (not {state.ToFileText()}).", "state");
            }

            RunError? error = completion.Error;
            string result = completion.Result
                ?? (state == RunState.Succeeded ? "passed" : state == RunState.Cancelled ? "canceled" : RunErrorTypes.ResultFor(error?.Type ?? RunErrorType.Unknown));
            OrderedJsonObject fields = run.Fields;
            fields[RunFields.State] = state.ToFileText();
            fields[RunFields.Result] = result;
            fields[RunFields.Error] = error?.Message; // The seed's readers expect a string here; the typed error goes beside it.
            fields[RunFields.ErrorDetails] = error?.ToJson();
            string stamp = Stamp();
            fields[RunFields.CompletedAt] = stamp;
            fields[RunFields.UpdatedAt] = stamp;
            WriteDocument(run.Path, fields, run.Source);
            var data = new OrderedJsonObject { ["state"] = state.ToFileText(), ["result"] = result };
            JsonFields.SetIfGiven(data, "errorType", error?.Type.ToString());
            Event(folder, run.Id, new RunEventDraft(RunEventTypes.RunComplete) { File = RunFiles.Run, Data = data });
            return new RunRecord(run.Path, fields, run.Source);
        });

        /// <summary>
        /// Appends an event of the caller's own to the run's events.jsonl, under the run's lock, durably, numbered after
        /// the events already there. This is how other parts of the engine (retry's attempts) add to a run's story.
        /// </summary>
        /// <exception cref="RunNotFoundException">The run does not exist.</exception>
        public RunEvent AppendEvent(string runId, RunEventDraft draft) => InRun(runId, (folder, run) => Event(folder, run.Id, draft));

        /// <summary>The run's events, in order; a last line still being written is not one yet.</summary>
        /// <exception cref="RunCorruptException">A line is not a JSON object; the message names the byte offset.</exception>
        public IReadOnlyList<RunEvent> ReadEvents(string runId)
        {
            Get(runId);
            return RunEventLog.Read(PathFor(runId, RunFiles.Events), 0, out _);
        }

        /// <summary>
        /// The run's events as they are appended (from the start, or from now on), until run:complete, the timeout or
        /// the cancellation. <paramref name="onTimeout"/> is called when the timeout ends the follow.
        /// </summary>
        public IEnumerable<RunEvent> FollowEvents(string runId, bool fromStart, TimeSpan? timeout = null, CancellationToken cancellation = default, Action? onTimeout = null)
        {
            Get(runId);
            return RunEventLog.Follow(PathFor(runId, RunFiles.Events), fromStart, timeout, cancellation, onTimeout);
        }

        /// <summary>agent-&lt;n&gt;.json, or null.</summary>
        public AgentResultRecord? TryGetAgentResult(string runId, int iteration) =>
            ReadDocument(PathFor(runId, RunFiles.Agent(iteration)), "agent result", (p, f, s) => new AgentResultRecord(p, f, s));

        /// <summary>verification-&lt;n&gt;.json, or null.</summary>
        public VerificationRecord? TryGetVerification(string runId, int iteration) =>
            ReadDocument(PathFor(runId, RunFiles.Verification(iteration)), "verification report", (p, f, s) => new VerificationRecord(p, f, s));

        /// <summary>iteration-&lt;n&gt;.json, or null.</summary>
        public IterationRecord? TryGetIteration(string runId, int iteration) =>
            ReadDocument(PathFor(runId, RunFiles.Iteration(iteration)), "iteration metadata", (p, f, s) => new IterationRecord(p, f, s));

        /// <summary>The iterations that have any file in the run folder, in order.</summary>
        public IReadOnlyList<int> Iterations(string runId)
        {
            string folder = FolderFor(runId);
            RefuseLinkedFolder(folder);
            if (!Directory.Exists(folder))
            {
                return new int[0];
            }

            var found = new SortedSet<int>();
            foreach (string file in Directory.EnumerateFiles(folder))
            {
                int? n = RunFiles.IterationOf(file, "agent-", ".json") ?? RunFiles.IterationOf(file, "iteration-", ".json") ?? RunFiles.IterationOf(file, "verification-", ".json")
                    ?? RunFiles.IterationOf(file, "agent-", ".stdout.log") ?? RunFiles.IterationOf(file, "agent-", ".stderr.log");
                if (n != null)
                {
                    found.Add(n.Value);
                }
            }

            return found.ToList();
        }

        /// <summary>
        /// The runs that <paramref name="query"/> accepts, in id order, each as a record or a corruption (never skipped
        /// silently). Folders that are not runs (no run.json, a name that is not an id) are not listed.
        /// </summary>
        /// <exception cref="RunStoreNotFoundException">The root does not exist (thrown by the call).</exception>
        public IEnumerable<RunEntry> Scan(RunQuery? query = null)
        {
            ThrowIfMissing();
            return ScanFolders(query ?? new RunQuery());
        }

        /// <summary>A run's diagnosis for an iteration (the last when null): what failed, why, where, how to investigate.</summary>
        public RunDiagnosis Diagnose(string runId, int? iteration = null) => RunDiagnostician.Diagnose(this, Get(runId), iteration);

        private IEnumerable<RunEntry> ScanFolders(RunQuery query)
        {
            var names = Directory.EnumerateDirectories(Root).Select(Path.GetFileName).Where(n => n != null && FileNameRules.FindViolation(n) == null).Select(n => n!).ToList();
            names.Sort(StringComparer.Ordinal);
            foreach (string name in names)
            {
                if (!query.MatchesId(name))
                {
                    continue;
                }

                string folder = Path.Combine(Root, name);
                RunEntry entry;
                try
                {
                    RefuseLinkedFolder(folder);
                    RunRecord? record = ReadRun(folder);
                    if (record == null)
                    {
                        continue;
                    }

                    entry = RunEntry.Read(record);
                }
                catch (RunCorruptException corrupt)
                {
                    entry = RunEntry.Corrupt(corrupt);
                }
                catch (UnsafePathException unsafePath)
                {
                    entry = RunEntry.Corrupt(new RunCorruptException(folder, $"it is {unsafePath.Found}, which AgentState never reads or writes through", unsafePath));
                }
                catch (DirectoryNotFoundException)
                {
                    continue; // Removed while we looked.
                }

                if (entry.Record != null && !query.Matches(entry.Record))
                {
                    continue;
                }

                yield return entry;
            }
        }

        internal T InRun<T>(string runId, Func<string, RunRecord, T> change)
        {
            string folder = FolderFor(runId);
            RefuseLinkedFolder(folder);
            string path = Path.Combine(folder, RunFiles.Run);
            if (!PlainFile.Exists(path))
            {
                // Checked before locking: a lock file must not appear where there is no run.
                throw new RunNotFoundException(runId, path);
            }

            using (Lock(folder))
            {
                RunRecord run = ReadRun(folder) ?? throw new RunNotFoundException(runId, path);
                return change(folder, run);
            }
        }

        /// <summary>Notes, under the lock, that a capture of iteration <paramref name="n"/> began in this process.</summary>
        internal AgentResultRecord BeginCapture(string runId, int n, DateTimeOffset startedAt) => InRun(runId, (folder, run) =>
        {
            string path = Path.Combine(folder, RunFiles.Agent(n));
            if (ReadDocument(path, "agent result", (p, f, s) => new AgentResultRecord(p, f, s)) is AgentResultRecord already)
            {
                // Checked under the lock: two captures of one iteration would write into the same logs.
                throw new InvalidInputException($"Iteration {n} of run '{run.Id}' already has an agent result ('{already.Path}'); capture it as the next iteration.", "iteration");
            }

            var fields = new OrderedJsonObject();
            fields[AgentResultFields.Iteration] = (long)n;
            fields[AgentResultFields.Status] = AgentResultFields.Capturing;
            fields[AgentResultFields.StdoutFile] = RunFiles.Stdout(n);
            fields[AgentResultFields.StderrFile] = RunFiles.Stderr(n);
            fields[AgentResultFields.StartedAt] = IsoTimestamp.Format(startedAt);
            int pid = CurrentProcess.Id;
            var capture = new OrderedJsonObject { ["pid"] = (long)pid };
            if (ProcessIdentity.StartTimeOf(pid) is DateTimeOffset processStart)
            {
                capture["processStartTime"] = IsoTimestamp.Format(processStart);
            }

            capture["host"] = ProcessIdentity.HostName;
            fields[AgentResultFields.Capture] = capture;
            StartIterationIfNew(folder, run, n, startedAt);
            WriteDocument(path, fields, null);
            NoteIteration(run, n, null);
            return new AgentResultRecord(path, fields, null);
        });

        /// <summary>Notes the agent process's id in agent-&lt;n&gt;.json while its capture runs.</summary>
        internal void NoteAgentProcess(string runId, int n, int agentPid) => InRun(runId, (folder, run) =>
        {
            string path = Path.Combine(folder, RunFiles.Agent(n));
            AgentResultRecord record = ReadDocument(path, "agent result", (p, f, s) => new AgentResultRecord(p, f, s)) ?? throw new RunNotFoundException(runId, path);
            OrderedJsonObject capture = record.Capture ?? new OrderedJsonObject();
            capture["agentPid"] = (long)agentPid;
            record.Fields[AgentResultFields.Capture] = capture;
            WriteDocument(path, record.Fields, record.Source);
            return true;
        });

        private IterationRecord StartIterationIfNew(string folder, RunRecord run, int n, DateTimeOffset? startedAt)
        {
            string path = Path.Combine(folder, RunFiles.Iteration(n));
            IterationRecord? existing = ReadDocument(path, "iteration metadata", (p, f, s) => new IterationRecord(p, f, s));
            if (existing != null)
            {
                return existing;
            }

            var fields = new OrderedJsonObject
            {
                [IterationFields.Iteration] = (long)n,
                [IterationFields.StartedAt] = IsoTimestamp.Format(startedAt ?? Now),
            };
            WriteDocument(path, fields, null);
            Event(folder, run.Id, new RunEventDraft(RunEventTypes.IterationStart) { Iteration = n, File = RunFiles.Iteration(n) });
            return new IterationRecord(path, fields, null);
        }

        private static void NoteFiles(string folder, int n, OrderedJsonObject fields)
        {
            if (PlainFile.Exists(Path.Combine(folder, RunFiles.Agent(n))))
            {
                fields[IterationFields.AgentFile] = RunFiles.Agent(n);
            }

            if (PlainFile.Exists(Path.Combine(folder, RunFiles.Verification(n))))
            {
                fields[IterationFields.VerificationFile] = RunFiles.Verification(n);
            }
        }

        /// <summary>Moves run.json's iteration forward, starts a queued run, and stamps updatedAt.</summary>
        private void NoteIteration(RunRecord run, int n, string? sessionId)
        {
            OrderedJsonObject fields = run.Fields;
            string stamp = Stamp();
            if (run.Iteration < n)
            {
                fields[RunFields.Iteration] = (long)n;
            }

            if (run.State == RunState.Queued)
            {
                fields[RunFields.State] = RunState.Running.ToFileText();
            }

            if (run.StartedAt == null)
            {
                fields[RunFields.StartedAt] = stamp;
            }

            if (sessionId != null && run.SessionId == null)
            {
                fields[RunFields.SessionId] = sessionId;
            }

            fields[RunFields.UpdatedAt] = stamp;
            WriteDocument(run.Path, fields, run.Source);
        }

        private void StoreOutput(string folder, int n, AgentOutput? output, OrderedJsonObject fields, string inlineKey, string fileKey, string bytesKey, string logName)
        {
            if (output == null)
            {
                return;
            }

            string logPath = Path.Combine(folder, logName);
            long length;
            string? inline = null;
            if (output.Text != null)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(output.Text);
                length = bytes.Length;
                if (length <= InlineLimit)
                {
                    inline = output.Text;
                }
                else
                {
                    _writer.Write(logPath, bytes, _options);
                }
            }
            else
            {
                string source = output.InPlace ? logPath : output.File!;
                length = PlainFile.Exists(source) ? new FileInfo(source).Length : 0;
                inline = length <= InlineLimit ? ReadSmallText(source) : null;
                if (!output.InPlace && inline == null)
                {
                    // Streamed: the agent's output may be gigabytes, and is never held in memory whole.
                    using (FileStream from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16))
                    {
                        length = _writer.WriteStreaming(logPath, to => from.CopyTo(to, 1 << 16), _options).Length;
                    }
                }
            }

            fields[inlineKey] = inline;
            fields[bytesKey] = length;
            if (inline == null || output.InPlace)
            {
                fields[fileKey] = logName;
            }
            else if (fields.ContainsKey(fileKey))
            {
                fields[fileKey] = null; // Re-saved smaller: the inline text is the output now, not an older log.
            }
        }

        /// <summary>The file as text when it is strict UTF-8; null when it is not (it is then kept as a file, byte for byte).</summary>
        private static string? ReadSmallText(string path)
        {
            if (!PlainFile.Exists(path))
            {
                return string.Empty;
            }

            // Shared with the capture's writer, which still holds the log open (Windows would refuse a plain read).
            byte[] bytes = PlainFile.ReadAllBytes(path, "agent output log");
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }

        private RunEvent Event(string folder, string runId, RunEventDraft draft) => RunEventLog.Append(folder, runId, draft, Now);

        private RunRecord? ReadRun(string folder)
        {
            RunRecord? record = ReadDocument(Path.Combine(folder, RunFiles.Run), "run record", (p, f, s) => new RunRecord(p, f, s));
            if (record != null && record.State == RunState.Running && record.Iteration > 0)
            {
                AgentResultRecord? last = ReadDocument(Path.Combine(folder, RunFiles.Agent(record.Iteration)), "agent result", (p, f, s) => new AgentResultRecord(p, f, s));
                record.Interrupted = last?.Interrupted ?? false;
            }

            return record;
        }

        internal static T? ReadDocument<T>(string path, string role, Func<string, OrderedJsonObject, JsonTree, T> create)
            where T : class
        {
            byte[] bytes;
            try
            {
                bytes = PlainFile.ReadAllBytes(path, role);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }
            catch (UnsafePathException unsafePath)
            {
                throw new RunCorruptException(path, $"it is {unsafePath.Found}, which AgentState never reads or writes through", unsafePath);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new RunCorruptException(path, "it cannot be read (" + ex.Message + ")", ex);
            }

            JsonTree tree;
            try
            {
                tree = JsonTreeReader.Read(bytes);
            }
            catch (JsonTreeException ex)
            {
                throw new RunCorruptException(path, ex.Message.TrimEnd('.'), ex);
            }

            if (!(tree.Root is OrderedJsonObject fields))
            {
                throw new RunCorruptException(path, "it is JSON but not an object");
            }

            return create(path, fields, tree);
        }

        private void WriteDocument(string path, OrderedJsonObject fields, JsonTree? source)
        {
            byte[] bytes = JsonTreeWriter.Write(fields, source ?? JsonTree.CreateEmptyObject());
            _writer.Write(path, bytes, _options);
        }

        private ExclusiveFileLock Lock(string folder) => ExclusiveFileLock.AcquireBeside(Path.Combine(folder, RunFiles.Run), _lockTimeout);

        private static void RefuseLinkedFolder(string folder) => PlainFile.RefuseLink(folder, "run folder");

        private string Stamp() => IsoTimestamp.Format(Now);

        private static class CurrentProcess
        {
            public static int Id { get; } = GetId();

            private static int GetId()
            {
                using (System.Diagnostics.Process current = System.Diagnostics.Process.GetCurrentProcess())
                {
                    return current.Id;
                }
            }
        }
    }
}
