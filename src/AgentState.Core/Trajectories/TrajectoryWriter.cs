using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using AgentState.IO;
using AgentState.Json;
using AgentState.Locking;
using AgentState.Platform;

namespace AgentState.Trajectories
{
    /// <summary>
    /// Appends ATIF steps to a trajectory stream, one line per step with one write call, then an fdatasync (or one
    /// for a whole batch). It holds the trajectory's lock while open, so there is one writer at a time, in any
    /// process; opening repairs a torn tail first, moving it aside into a .torn file. The stream is never rewritten.
    /// </summary>
    public sealed class TrajectoryWriter : IDisposable
    {
        private readonly FileStream _stream;
        private readonly ExclusiveFileLock _lock;
        private readonly TrajectoryWriterOptions _options;
        private readonly IAppendOperations _append;
        private readonly AtomicFileWriter _files = new AtomicFileWriter();
        private readonly MetricsTotals? _totals;
        private long _end;
        private string? _lastTimestamp;
        private long _syncedEnd;
        private long _syncedStepId;
        private string? _syncedTimestamp;
        private bool _pendingFlush;
        private int _stepsSinceIndex;
        private Stopwatch _sinceIndex = Stopwatch.StartNew();
        private bool _disposed;
        private string? _closedBecause;

        private TrajectoryWriter(string path, FileStream stream, ExclusiveFileLock held, OrderedJsonObject header, long lastStepId, string? lastTimestamp,
            TrajectoryStatus status, long end, long tornBytes, string? tornPath, MetricsTotals? totals, TrajectoryWriterOptions options)
        {
            Path = path;
            _stream = stream;
            _lock = held;
            Header = header;
            LastStepId = lastStepId;
            _lastTimestamp = lastTimestamp;
            Status = status;
            _end = end;
            RepairedTornBytes = tornBytes;
            TornPath = tornPath;
            _totals = totals;
            _options = options;
            _append = options.Append;
            // What was in the file when it was opened counts as on stable storage: a failed fdatasync cuts back to here at most.
            _syncedEnd = end;
            _syncedStepId = lastStepId;
            _syncedTimestamp = lastTimestamp;
        }

        /// <summary>The stream file.</summary>
        public string Path { get; }

        /// <summary>The index file.</summary>
        public string IndexPath => TrajectoryFiles.IndexPathFor(Path);

        /// <summary>The session id.</summary>
        public string SessionId => Header["session_id"] as string ?? TrajectoryFiles.SessionIdOf(Path);

        /// <summary>The header line's fields (the cmdlets emit them as a PSCustomObject).</summary>
        internal OrderedJsonObject Header { get; }

        /// <summary>The last step written (0 before the first).</summary>
        public long LastStepId { get; private set; }

        /// <summary>In progress until completed.</summary>
        public TrajectoryStatus Status { get; private set; }

        /// <summary>Bytes of a torn tail that opening moved aside; 0 when there was none.</summary>
        public long RepairedTornBytes { get; }

        /// <summary>Where the torn tail went, when there was one.</summary>
        public string? TornPath { get; }

        /// <summary>Creates a new trajectory: the stream with its header line, flushed, and the index.</summary>
        /// <exception cref="TrajectoryExistsException">The session already has a trajectory under the root.</exception>
        /// <exception cref="ArgumentException">The session id breaks the file-name rule.</exception>
        public static TrajectoryWriter Start(TrajectoryStart start, TrajectoryWriterOptions? options = null)
        {
            options = options ?? new TrajectoryWriterOptions();
            DateTimeOffset now = options.Clock();
            string sessionId = start.SessionId ?? NewSessionId(now);
            if (!AtifSchema.IsVersion(start.SchemaVersion))
            {
                throw new AtifValidationException("schema_version", $"must be one of {string.Join(", ", AtifSchema.Versions)} (it is '{start.SchemaVersion}')");
            }

            string path = TrajectoryFiles.NewPath(start.Root, sessionId, now);
            string? existing = TrajectoryFiles.Find(start.Root, sessionId);
            if (existing != null)
            {
                throw new TrajectoryExistsException(sessionId, existing);
            }

            var agent = new OrderedJsonObject { ["name"] = start.AgentName, ["version"] = start.AgentVersion };
            if (start.ModelName != null)
            {
                agent["model_name"] = start.ModelName;
            }

            if (start.AgentExtra != null)
            {
                agent["extra"] = start.AgentExtra;
            }

            var header = new OrderedJsonObject
            {
                ["__header__"] = true,
                ["schema_version"] = start.SchemaVersion,
                ["session_id"] = sessionId,
                ["agent"] = agent,
                ["created_at"] = Stamp(now),
            };
            if (start.Notes != null)
            {
                header["notes"] = start.Notes;
            }

            if (start.Extra != null)
            {
                header["extra"] = start.Extra;
            }

            AtifValidator.ValidateHeader(WithoutMarker(header, "__header__", "created_at"), "header", allowSteps: false);
            string folder = System.IO.Path.GetDirectoryName(path)!;
            PlainFile.CreateFolder(folder, "trajectory folder");
            // The lock first, so that no other writer ever sees the file before its header is in it.
            ExclusiveFileLock held = ExclusiveFileLock.AcquireBeside(path, options.LockTimeout);
            FileStream stream;
            try
            {
                stream = NativePlatform.Current.OpenPlainFile(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, TrajectoryFiles.Role);
            }
            catch (IOException) when (PlainFile.Exists(path))
            {
                held.Dispose();
                PlainFile.RefuseLink(path, TrajectoryFiles.Role);
                throw new TrajectoryExistsException(sessionId, path); // Another process started it first.
            }
            catch
            {
                held.Dispose();
                throw;
            }

            var writer = new TrajectoryWriter(path, stream, held, header, 0, null, TrajectoryStatus.InProgress, 0, 0, null, new MetricsTotals(), options);
            try
            {
                writer.WriteLine(Line(header));
                writer.FlushData();
                NativePlatform.Current.FlushDirectory(folder); // The new file's name must survive a power cut too.
                writer.WriteIndex(Durability.Atomic);
                return writer;
            }
            catch
            {
                writer.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Opens an existing trajectory for append: takes its lock (waiting for another writer), moves a torn tail
        /// aside, and finds the last step from the tail of the file without scanning it.
        /// </summary>
        /// <exception cref="TrajectoryNotFoundException">There is no such file.</exception>
        /// <exception cref="TrajectoryCorruptException">The file has no ATIF header.</exception>
        public static TrajectoryWriter Open(string path, TrajectoryWriterOptions? options = null)
        {
            options = options ?? new TrajectoryWriterOptions();
            string full = System.IO.Path.GetFullPath(path);
            if (!PlainFile.Exists(full))
            {
                throw new TrajectoryNotFoundException($"'{full}' does not exist", full);
            }

            PlainFile.RefuseLink(full, TrajectoryFiles.Role);
            ExclusiveFileLock held = ExclusiveFileLock.AcquireBeside(full, options.LockTimeout);
            FileStream? stream = null;
            try
            {
                stream = NativePlatform.Current.OpenPlainFile(full, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, TrajectoryFiles.Role);
                OrderedJsonObject header = ReadHeader(full, stream);
                TrajectoryTail tail = TrajectoryTail.Read(stream);
                string? tornPath = null;
                if (tail.TornBytes > 0)
                {
                    tornPath = TrajectoryRepair.SetTornTailAside(full, stream, tail.CompleteEnd);
                }

                long lastStepId = 0;
                string? lastStamp = null;
                TrajectoryStatus status = TrajectoryStatus.InProgress;
                TrajectoryLine? last = tail.LastLine;
                if (last?.Kind == TrajectoryLineKind.Step)
                {
                    lastStepId = StepId(last.Value!);
                    lastStamp = last.Value!.ContainsKey("timestamp") ? last.Value["timestamp"] as string : null;
                }
                else if (last?.Kind == TrajectoryLineKind.Final)
                {
                    status = TrajectoryStatuses.Parse(last.Value!.ContainsKey("status") ? last.Value["status"] as string : null) ?? TrajectoryStatus.Completed;
                    (lastStepId, lastStamp) = ScanForLastStep(full, tail.CompleteEnd);
                }
                else if (last?.Kind == TrajectoryLineKind.Malformed)
                {
                    // A complete but unreadable last line: find the last good step the slow way. The bad line stays for a person.
                    (lastStepId, lastStamp) = ScanForLastStep(full, tail.CompleteEnd);
                }

                stream.Seek(tail.CompleteEnd, SeekOrigin.Begin);
                return new TrajectoryWriter(full, stream, held, header, lastStepId, lastStamp, status, tail.CompleteEnd, tail.TornBytes, tornPath, null, options);
            }
            catch
            {
                stream?.Dispose();
                held.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Appends a step: assigns step_id (the next one) and timestamp when absent, validates it against the ATIF
        /// rules, writes it as one line with one write call, and flushes it (Durable) or leaves the flush to the
        /// end of the batch. Returns the step as written.
        /// </summary>
        /// <exception cref="AtifValidationException">The step breaks a rule; nothing was written.</exception>
        /// <exception cref="TrajectoryClosedException">The trajectory was completed.</exception>
        public OrderedJsonObject Append(OrderedJsonObject step)
        {
            ThrowIfClosed();
            long next = LastStepId + 1;
            // step_id and timestamp lead every line: these defaults hold their places, and a given value (checked below
            // like any field) replaces them in place.
            var ordered = new OrderedJsonObject
            {
                ["step_id"] = next,
                ["timestamp"] = Stamp(_options.Clock()),
            };
            foreach (string field in AtifSchema.StepFields)
            {
                if (step.ContainsKey(field) && step[field] != null)
                {
                    ordered[field] = step[field];
                }
            }

            foreach (var member in step)
            {
                if (!ordered.ContainsKey(member.Key) && member.Value != null)
                {
                    ordered[member.Key] = member.Value; // Unknown: kept so that the validator names it.
                }
            }

            AtifValidator.ValidateStep(ordered, next);
            WriteLine(Line(ordered));
            LastStepId = next;
            _lastTimestamp = ordered["timestamp"] as string;
            if (_options.Durability == StepDurability.Durable)
            {
                FlushData();
            }
            else
            {
                _pendingFlush = true;
            }

            _totals?.Add(ordered);
            if (++_stepsSinceIndex >= _options.IndexEverySteps || _sinceIndex.Elapsed >= _options.IndexEvery)
            {
                // No flush first: the index is a cache, and a reader that finds it ahead of the stream trusts the stream.
                WriteIndex(Durability.Atomic);
            }

            return ordered;
        }

        /// <summary>Flushes the steps of a batch to stable storage (one fdatasync).</summary>
        public void Flush()
        {
            if (_pendingFlush)
            {
                FlushData();
                _pendingFlush = false;
            }
        }

        /// <summary>
        /// Closes the trajectory: appends the final line (final_metrics summed from the steps when not given),
        /// flushes it, updates the index, and releases the writer.
        /// </summary>
        /// <exception cref="TrajectoryClosedException">It was already completed.</exception>
        public OrderedJsonObject Complete(TrajectoryStatus status = TrajectoryStatus.Completed, OrderedJsonObject? finalMetrics = null, string? notes = null)
        {
            ThrowIfClosed();
            if (status == TrajectoryStatus.InProgress)
            {
                throw new ArgumentException("A trajectory is completed as completed or failed.", nameof(status));
            }

            if (finalMetrics != null)
            {
                AtifValidator.ValidateFinalMetrics(finalMetrics, "final_metrics");
            }

            OrderedJsonObject metrics = finalMetrics ?? (_totals ?? TotalsOf(Path, _end)).ToFinalMetrics();
            var final = new OrderedJsonObject
            {
                ["__final__"] = true,
                ["status"] = status.ToFileText(),
                ["final_metrics"] = metrics,
                ["completed_at"] = Stamp(_options.Clock()),
            };
            if (notes != null)
            {
                final["notes"] = notes;
            }

            WriteLine(Line(final));
            _pendingFlush = false;
            FlushData();
            Status = status;
            WriteIndex(Durability.Atomic, metrics);
            Dispose();
            return final;
        }

        /// <summary>
        /// Flushes a pending batch, refreshes the index and lets go of the file and its lock. A writer whose write could
        /// not be cut back, or whose fdatasync failed, has already let go of them and refuses every further call.
        /// </summary>
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                Flush();
                if (Status == TrajectoryStatus.InProgress)
                {
                    WriteIndex(Durability.Atomic);
                }
            }
            finally
            {
                _stream.Dispose();
                _lock.Dispose();
            }
        }

        /// <summary>A session id: session-&lt;UTC timestamp&gt;-&lt;random&gt;.</summary>
        public static string NewSessionId(DateTimeOffset now)
        {
            var bytes = new byte[4];
            using (var random = RandomNumberGenerator.Create())
            {
                random.GetBytes(bytes);
            }

            return "session-" + now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + BitConverter.ToString(bytes).Replace("-", string.Empty).ToLowerInvariant();
        }

        internal static string Stamp(DateTimeOffset time) => AgentState.Text.IsoTimestamp.Format(time);

        internal static byte[] Line(OrderedJsonObject value) => JsonTreeWriter.WriteLine(value);

        internal static long StepId(OrderedJsonObject step) =>
            step.ContainsKey("step_id") && JsonNumber.TryGetInteger(step["step_id"], out System.Numerics.BigInteger id) && id >= 0 && id <= long.MaxValue ? (long)id : 0;

        internal static OrderedJsonObject ReadHeader(string path, Stream stream)
        {
            TrajectoryLine? first = TrajectoryLineReader.Read(stream, 0, 1, stopAtEnd: true).FirstOrDefault();
            if (first?.Kind != TrajectoryLineKind.Header)
            {
                throw new TrajectoryCorruptException(path, first == null ? "it is empty" : $"its first line is not a {{\"__header__\":true,...}} header ({first.Error ?? first.Kind.ToString()})");
            }

            return first.Value!;
        }

        internal static MetricsTotals TotalsOf(string path, long end)
        {
            var totals = new MetricsTotals();
            foreach (TrajectoryLine line in TrajectoryLineReader.Read(path))
            {
                if (line.Offset >= end)
                {
                    break;
                }

                if (line.Kind == TrajectoryLineKind.Step)
                {
                    totals.Add(line.Value!);
                }
            }

            return totals;
        }

        internal static OrderedJsonObject WithoutMarker(OrderedJsonObject header, params string[] drop)
        {
            var copy = new OrderedJsonObject();
            foreach (var member in header)
            {
                if (Array.IndexOf(drop, member.Key) < 0)
                {
                    copy[member.Key] = member.Value;
                }
            }

            return copy;
        }

        private static (long, string?) ScanForLastStep(string path, long end)
        {
            long last = 0;
            string? stamp = null;
            foreach (TrajectoryLine line in TrajectoryLineReader.Read(path))
            {
                if (line.Offset >= end)
                {
                    break;
                }

                if (line.Kind == TrajectoryLineKind.Step)
                {
                    last = StepId(line.Value!);
                    stamp = line.Value!.ContainsKey("timestamp") ? line.Value["timestamp"] as string : null;
                }
            }

            return (last, stamp);
        }

        private void WriteLine(byte[] line)
        {
            try
            {
                // One write call for the whole line: a reader or a crash sees all of it or a torn tail, never a mix.
                _append.Write(_stream, line, 0, line.Length);
                _end += line.Length;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // Nothing half-written may stay: cut back to the end of the last whole line, and the writer goes on.
                if (CutBackTo(_end))
                {
                    throw new AtomicWriteException(Path, AtomicWriteStep.Write, OsFailure.Classify(ex), ex.Message, ex);
                }

                // Part of the line may be left as a torn tail: only a new opening sets it aside, so this writer stops.
                Release(" after a write it could not cut back");
                throw new AtomicWriteException(Path, AtomicWriteStep.Write, OsFailure.Classify(ex),
                    $"{ex.Message.TrimEnd('.')}; the part written could not be cut off, and opening the trajectory again moves it aside into a .torn file", ex);
            }
        }

        /// <summary>
        /// fdatasync of the stream. When it fails, nothing written since the last good one is known to be on disk, and
        /// the kernel may have dropped those pages while reporting the error once: the lines are cut off (the caller
        /// was told they failed, so a retry writes them once) and the writer stops, since this descriptor can no longer
        /// vouch for what it wrote.
        /// </summary>
        private void FlushData()
        {
            try
            {
                _append.FlushData(_stream);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                string detail = ex.Message;
                if (!CutBackTo(_syncedEnd))
                {
                    detail = $"{detail.TrimEnd('.')}; the lines written since the last good flush could not be cut off and may still be in the file";
                }

                _end = _syncedEnd;
                LastStepId = _syncedStepId;
                _lastTimestamp = _syncedTimestamp;
                Release(" after a failed flush");
                throw new AtomicWriteException(Path, AtomicWriteStep.Flush, OsFailure.Classify(ex), detail, ex);
            }

            _syncedEnd = _end;
            _syncedStepId = LastStepId;
            _syncedTimestamp = _lastTimestamp;
        }

        /// <summary>Cuts the stream back to <paramref name="end"/> and puts the position there; false when that failed.</summary>
        private bool CutBackTo(long end)
        {
            try
            {
                _append.Truncate(_stream, end);
                _stream.Seek(end, SeekOrigin.Begin);
                return true;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return false;
            }
        }

        /// <summary>Lets go of the file and the lock without writing the index (a cache, which a reader checks against the stream).</summary>
        private void Release(string because)
        {
            _disposed = true;
            _closedBecause = because;
            _pendingFlush = false;
            try
            {
                _stream.Dispose();
            }
            finally
            {
                _lock.Dispose();
            }
        }

        private void WriteIndex(Durability durability, OrderedJsonObject? finalMetrics = null)
        {
            var index = new TrajectoryIndex(WithoutMarker(Header, "__header__"), Status, LastStepId, _lastTimestamp, _end, finalMetrics);
            index.Write(IndexPath, _files, _options.Clock(), durability);
            _stepsSinceIndex = 0;
            _sinceIndex = Stopwatch.StartNew();
        }

        private void ThrowIfClosed()
        {
            if (Status != TrajectoryStatus.InProgress)
            {
                throw new TrajectoryClosedException(Path, Status);
            }

            if (_disposed)
            {
                throw new TrajectoryWriterClosedException(Path, $"The writer of '{Path}' was closed{_closedBecause}; open the trajectory again to append.");
            }
        }
    }
}
