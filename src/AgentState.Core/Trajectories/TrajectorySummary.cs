using AgentState.IO;
using System;
using System.IO;
using AgentState.Json;
using AgentState.Text;

namespace AgentState.Trajectories
{
    /// <summary>
    /// One trajectory at a glance, as Get-Trajectory shows it: from the index when it agrees with the stream's
    /// tail, from the stream otherwise (and then IndexStale says so). Reading it never scans a healthy stream:
    /// the header is its first line and the rest comes from its last lines.
    /// </summary>
    public sealed class TrajectorySummary
    {
        private TrajectorySummary(string path, OrderedJsonObject header, TrajectoryStatus status, long lastStepId, string? lastStepAtText, OrderedJsonObject? finalMetrics,
            long length, long tornBytes, bool indexStale, bool legacy)
        {
            Path = path;
            Header = header;
            Status = status;
            LastStepId = lastStepId;
            LastStepAtText = lastStepAtText;
            FinalMetrics = finalMetrics;
            Length = length;
            TornBytes = tornBytes;
            IndexStale = indexStale;
            IsLegacy = legacy;
        }

        /// <summary>The trajectory file.</summary>
        public string Path { get; }

        /// <summary>The header's fields (schema_version, session_id, agent, created_at, notes, extra); the cmdlets emit them as a PSCustomObject.</summary>
        internal OrderedJsonObject Header { get; }

        /// <summary>session_id.</summary>
        public string SessionId => Header.ContainsKey("session_id") && Header["session_id"] is string id ? id : TrajectoryFiles.SessionIdOf(Path);

        /// <summary>The agent object.</summary>
        internal OrderedJsonObject? Agent => Header.ContainsKey("agent") ? Header["agent"] as OrderedJsonObject : null;

        /// <summary>agent.name.</summary>
        public string? AgentName => Agent != null && Agent.ContainsKey("name") ? Agent["name"] as string : null;

        /// <summary>agent.version.</summary>
        public string? AgentVersion => Agent != null && Agent.ContainsKey("version") ? Agent["version"] as string : null;

        /// <summary>agent.model_name.</summary>
        public string? ModelName => Agent != null && Agent.ContainsKey("model_name") ? Agent["model_name"] as string : null;

        /// <summary>schema_version.</summary>
        public string? SchemaVersion => Header.ContainsKey("schema_version") ? Header["schema_version"] as string : null;

        /// <summary>created_at.</summary>
        public DateTimeOffset? CreatedAt => IsoTimestamp.Parse(Header.ContainsKey("created_at") ? Header["created_at"] as string : null);

        /// <summary>InProgress, Completed or Failed.</summary>
        public TrajectoryStatus Status { get; }

        /// <summary>Complete steps (their ids run 1 … n).</summary>
        public long StepCount => LastStepId;

        /// <summary>The last complete step's id.</summary>
        public long LastStepId { get; }

        /// <summary>The last complete step's timestamp.</summary>
        public DateTimeOffset? LastStepAt => IsoTimestamp.Parse(LastStepAtText);

        /// <summary>The last complete step's timestamp as written.</summary>
        internal string? LastStepAtText { get; }

        /// <summary>final_metrics of a closed trajectory (the cmdlets emit it as a PSCustomObject).</summary>
        internal OrderedJsonObject? FinalMetrics { get; }

        /// <summary>The stream's length in bytes.</summary>
        public long Length { get; }

        /// <summary>Bytes after the last newline: a torn line waiting for a repair.</summary>
        public long TornBytes { get; }

        /// <summary>The index is missing or disagrees with the stream (the stream was trusted).</summary>
        public bool IndexStale { get; }

        /// <summary>A legacy single-document ATIF .json file rather than a stream.</summary>
        public bool IsLegacy { get; }

        /// <summary>Where to resume an in-progress trajectory; null once it is closed.</summary>
        public TrajectoryRecoveryPlan? RecoveryPlan => Status == TrajectoryStatus.InProgress && !IsLegacy
            ? new TrajectoryRecoveryPlan(LastStepId, LastStepAtText, Length - TornBytes, TornBytes)
            : null;

        /// <summary>Summarises a trajectory file (stream or legacy document).</summary>
        /// <exception cref="TrajectoryCorruptException">The file has no ATIF header (or is not an ATIF document).</exception>
        public static TrajectorySummary Inspect(string path)
        {
            string full = System.IO.Path.GetFullPath(path);
            if (!PlainFile.Exists(full))
            {
                throw new TrajectoryNotFoundException($"'{full}' does not exist", full);
            }

            if (!full.EndsWith(TrajectoryFiles.JsonlSuffix, StringComparison.Ordinal))
            {
                return FromLegacy(full);
            }

            TrajectoryTail tail;
            OrderedJsonObject header;
            using (FileStream stream = OpenStream(full))
            {
                header = TrajectoryWriter.WithoutMarker(TrajectoryWriter.ReadHeader(full, stream), "__header__");
                tail = TrajectoryTail.Read(stream);
            }

            TrajectoryIndex? index = TrajectoryIndex.TryRead(TrajectoryFiles.IndexPathFor(full));
            TrajectoryLine? last = tail.LastLine;
            bool indexMatches = index != null && index.ByteOffset == tail.CompleteEnd;
            switch (last?.Kind)
            {
                case TrajectoryLineKind.Header:
                    return new TrajectorySummary(full, header, TrajectoryStatus.InProgress, 0, null, null, tail.Length, tail.TornBytes,
                        !(indexMatches && index!.LastStepId == 0 && index.Status == TrajectoryStatus.InProgress), false);
                case TrajectoryLineKind.Step:
                    long id = TrajectoryWriter.StepId(last.Value!);
                    string? at = last.Value!.ContainsKey("timestamp") ? last.Value["timestamp"] as string : null;
                    return new TrajectorySummary(full, header, TrajectoryStatus.InProgress, id, at, null, tail.Length, tail.TornBytes,
                        !(indexMatches && index!.LastStepId == id && index.Status == TrajectoryStatus.InProgress), false);
                case TrajectoryLineKind.Final:
                    TrajectoryStatus status = TrajectoryStatuses.Parse(last.Value!.ContainsKey("status") ? last.Value["status"] as string : null) ?? TrajectoryStatus.Completed;
                    OrderedJsonObject? final = last.Value!.ContainsKey("final_metrics") ? last.Value["final_metrics"] as OrderedJsonObject : null;
                    if (indexMatches && index!.Status == status)
                    {
                        return new TrajectorySummary(full, header, status, index.LastStepId, index.LastTimestamp, final, tail.Length, tail.TornBytes, false, false);
                    }

                    TrajectorySummary scanned = FromStream(full);
                    return new TrajectorySummary(full, header, status, scanned.LastStepId, scanned.LastStepAtText, final, tail.Length, tail.TornBytes, true, false);
                default:
                    TrajectorySummary slow = FromStream(full);
                    return new TrajectorySummary(full, header, slow.Status, slow.LastStepId, slow.LastStepAtText, slow.FinalMetrics, tail.Length, tail.TornBytes, true, false);
            }
        }

        /// <summary>Summarises a stream by reading all of it (for rebuilding an index).</summary>
        public static TrajectorySummary FromStream(string path)
        {
            OrderedJsonObject? header = null;
            TrajectoryStatus status = TrajectoryStatus.InProgress;
            long lastId = 0, length = 0, torn = 0;
            string? lastAt = null;
            OrderedJsonObject? final = null;
            foreach (TrajectoryLine line in TrajectoryLineReader.Read(path))
            {
                switch (line.Kind)
                {
                    case TrajectoryLineKind.Header:
                        header = header ?? TrajectoryWriter.WithoutMarker(line.Value!, "__header__");
                        break;
                    case TrajectoryLineKind.Step:
                        lastId = TrajectoryWriter.StepId(line.Value!);
                        lastAt = line.Value!.ContainsKey("timestamp") ? line.Value["timestamp"] as string : null;
                        break;
                    case TrajectoryLineKind.Final:
                        status = TrajectoryStatuses.Parse(line.Value!.ContainsKey("status") ? line.Value["status"] as string : null) ?? TrajectoryStatus.Completed;
                        final = line.Value!.ContainsKey("final_metrics") ? line.Value["final_metrics"] as OrderedJsonObject : null;
                        break;
                    case TrajectoryLineKind.Torn:
                        torn = line.Length;
                        break;
                }

                length = line.End;
            }

            if (header == null)
            {
                throw new TrajectoryCorruptException(path, "it has no {\"__header__\":true,...} line");
            }

            return new TrajectorySummary(System.IO.Path.GetFullPath(path), header, status, lastId, lastAt, final, length, torn, true, false);
        }

        /// <summary>A planted link is listed like a corrupt file: reported, never read through.</summary>
        private static FileStream OpenStream(string path)
        {
            try
            {
                return PlainFile.OpenRead(path, TrajectoryFiles.Role);
            }
            catch (UnsafePathException unsafePath)
            {
                throw new TrajectoryCorruptException(path, $"it is {unsafePath.Found}, which AgentState never reads or writes through");
            }
        }

        private static byte[] ReadLegacy(string path)
        {
            using (FileStream stream = OpenStream(path))
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                return copy.ToArray();
            }
        }

        private static TrajectorySummary FromLegacy(string path)
        {
            OrderedJsonObject document;
            try
            {
                document = JsonTreeReader.Read(ReadLegacy(path)).Root as OrderedJsonObject ?? throw new TrajectoryCorruptException(path, "it is not a JSON object");
            }
            catch (JsonTreeException ex)
            {
                throw new TrajectoryCorruptException(path, ex.Message.TrimEnd('.'));
            }

            if (!document.ContainsKey("schema_version") || !document.ContainsKey("steps"))
            {
                throw new TrajectoryCorruptException(path, "it is not an ATIF document (no schema_version and steps)");
            }

            var header = new OrderedJsonObject();
            foreach (var member in document)
            {
                if (member.Key != "steps" && member.Key != "final_metrics")
                {
                    header[member.Key] = member.Value;
                }
            }

            var steps = document["steps"] as System.Collections.Generic.List<object?> ?? new System.Collections.Generic.List<object?>();
            OrderedJsonObject? last = steps.Count > 0 ? steps[steps.Count - 1] as OrderedJsonObject : null;
            long lastId = last != null ? TrajectoryWriter.StepId(last) : 0;
            string? lastAt = last != null && last.ContainsKey("timestamp") ? last["timestamp"] as string : null;
            OrderedJsonObject? final = document.ContainsKey("final_metrics") ? document["final_metrics"] as OrderedJsonObject : null;
            return new TrajectorySummary(path, header, TrajectoryStatus.Completed, lastId, lastAt, final, new FileInfo(path).Length, 0, false, true);
        }
    }
}
