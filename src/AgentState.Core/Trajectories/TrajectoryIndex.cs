using System;
using System.IO;
using AgentState.IO;
using AgentState.Json;

namespace AgentState.Trajectories
{
    /// <summary>
    /// The index beside a stream: a cache of the header, the status, the checkpoint (last step, its timestamp,
    /// the step count, the byte offset after it) and final_metrics. It is replaced atomically but never fsynced
    /// on its own: it can always be rebuilt from the stream, and readers trust the stream where the two differ.
    /// </summary>
    public sealed class TrajectoryIndex
    {
        /// <summary>Creates an index.</summary>
        public TrajectoryIndex(OrderedJsonObject header, TrajectoryStatus status, long lastStepId, string? lastTimestamp, long byteOffset, OrderedJsonObject? finalMetrics)
        {
            Header = header;
            Status = status;
            LastStepId = lastStepId;
            LastTimestamp = lastTimestamp;
            ByteOffset = byteOffset;
            FinalMetrics = finalMetrics;
        }

        /// <summary>The stream's header fields (session_id, agent, schema_version, created_at...).</summary>
        public OrderedJsonObject Header { get; }

        /// <summary>The status the index records.</summary>
        public TrajectoryStatus Status { get; }

        /// <summary>The last step's id (and so the step count).</summary>
        public long LastStepId { get; }

        /// <summary>The last step's timestamp.</summary>
        public string? LastTimestamp { get; }

        /// <summary>The byte offset just after the last line the index accounts for.</summary>
        public long ByteOffset { get; }

        /// <summary>final_metrics, once closed.</summary>
        public OrderedJsonObject? FinalMetrics { get; }

        /// <summary>Reads an index; null when it is missing or unreadable (it is only a cache).</summary>
        public static TrajectoryIndex? TryRead(string indexPath)
        {
            try
            {
                if (!(JsonTreeReader.Read(PlainFile.ReadAllBytes(indexPath, "trajectory index")).Root is OrderedJsonObject index)
                    || !(index.ContainsKey("checkpoint") && index["checkpoint"] is OrderedJsonObject checkpoint))
                {
                    return null;
                }

                var header = new OrderedJsonObject();
                foreach (var member in index)
                {
                    if (member.Key != "checkpoint" && member.Key != "status" && member.Key != "final_metrics" && member.Key != "updated_at")
                    {
                        header[member.Key] = member.Value;
                    }
                }

                TrajectoryStatus status = TrajectoryStatuses.Parse(index.ContainsKey("status") ? index["status"] as string : null) ?? TrajectoryStatus.InProgress;
                long stepId = checkpoint.ContainsKey("step_id") && checkpoint["step_id"] is long id ? id : 0;
                long offset = checkpoint.ContainsKey("byte_offset") && checkpoint["byte_offset"] is long at ? at : -1;
                string? stamp = checkpoint.ContainsKey("timestamp") ? checkpoint["timestamp"] as string : null;
                OrderedJsonObject? final = index.ContainsKey("final_metrics") ? index["final_metrics"] as OrderedJsonObject : null;
                return new TrajectoryIndex(header, status, stepId, stamp, offset, final);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is JsonTreeException)
            {
                return null;
            }
        }

        /// <summary>Replaces the index atomically (no fsync: it is a cache).</summary>
        public void Write(string indexPath, AtomicFileWriter writer, DateTimeOffset now, Durability durability = Durability.Atomic)
        {
            var document = new OrderedJsonObject
            {
                ["session_id"] = Header.ContainsKey("session_id") ? Header["session_id"] : null,
            };
            foreach (var member in Header)
            {
                if (member.Key != "__header__" && member.Key != "session_id")
                {
                    document[member.Key] = member.Value;
                }
            }

            document["status"] = Status.ToFileText();
            document["checkpoint"] = new OrderedJsonObject
            {
                ["step_id"] = LastStepId,
                ["timestamp"] = LastTimestamp,
                ["completed_step_count"] = LastStepId,
                ["byte_offset"] = ByteOffset,
            };
            document["final_metrics"] = FinalMetrics;
            document["updated_at"] = AgentState.Text.IsoTimestamp.Format(now);
            writer.Write(indexPath, JsonTreeWriter.Write(document), new AtomicWriteOptions { Durability = durability, FollowLinks = false });
        }
    }
}
