using System;
using System.Globalization;

namespace AgentState.Queue
{
    /// <summary>
    /// The file name of an item in each state. As in Maildir, what changes about an item (attempts, the lease, when
    /// it may run) is in its name, and its content never changes: every transition is then one rename, which is atomic,
    /// so an item is always in exactly one state. The sequence comes first, zero-padded, so names sort in FIFO order;
    /// the id comes last, so that the dots it may hold do not disturb the fields.
    /// </summary>
    /// <remarks>
    /// queued: <c>ready/p&lt;priority&gt;/&lt;bucket&gt;/&lt;seq&gt;.&lt;attempts&gt;.&lt;notBeforeTicks&gt;.&lt;id&gt;</c>;
    /// claimed: <c>claimed/&lt;seq&gt;.&lt;attempts&gt;.&lt;priority&gt;.&lt;token&gt;.&lt;pid&gt;.&lt;startTicks&gt;.&lt;host&gt;.&lt;expiresTicks&gt;.&lt;id&gt;</c>;
    /// completed and dead letters: <c>&lt;seq&gt;.&lt;attempts&gt;.&lt;priority&gt;.&lt;id&gt;</c>.
    /// </remarks>
    internal sealed class QueueEntryName
    {
        public const int SequenceDigits = 12;
        public const long BucketSize = 1024;

        public long Sequence { get; set; }

        public int Attempts { get; set; }

        public int Priority { get; set; }

        public string Id { get; set; } = string.Empty;

        public long NotBeforeTicks { get; set; }

        public string Token { get; set; } = string.Empty;

        public int HolderPid { get; set; }

        public long HolderStartTicks { get; set; }

        public string HolderHost { get; set; } = string.Empty;

        public long ExpiresTicks { get; set; }

        public static string PriorityFolder(int priority) => "p" + priority.ToString("D3", CultureInfo.InvariantCulture);

        public static string BucketFolder(long sequence) => (sequence / BucketSize).ToString("D9", CultureInfo.InvariantCulture);

        public static string SequenceText(long sequence) => sequence.ToString("D" + SequenceDigits, CultureInfo.InvariantCulture);

        public string QueuedName() => Join(SequenceText(Sequence), Number(Attempts), Number(NotBeforeTicks), Id);

        public string ClaimedName() => Join(SequenceText(Sequence), Number(Attempts), Number(Priority), Token, Number(HolderPid), Number(HolderStartTicks), HolderHost, Number(ExpiresTicks), Id);

        public string FinishedName() => Join(SequenceText(Sequence), Number(Attempts), Number(Priority), Id);

        public LeaseHolder Holder => new LeaseHolder(HolderPid, HolderStartTicks == 0 ? (DateTimeOffset?)null : new DateTimeOffset(HolderStartTicks, TimeSpan.Zero), HolderHost);

        public static QueueEntryName? ParseQueued(string name, int priority)
        {
            string[]? parts = Split(name, 4);
            if (parts == null || !Long(parts[0], out long seq) || !Int(parts[1], out int attempts) || !Long(parts[2], out long notBefore))
            {
                return null;
            }

            return new QueueEntryName { Sequence = seq, Attempts = attempts, NotBeforeTicks = notBefore, Priority = priority, Id = parts[3] };
        }

        public static QueueEntryName? ParseClaimed(string name)
        {
            string[]? parts = Split(name, 9);
            if (parts == null || !Long(parts[0], out long seq) || !Int(parts[1], out int attempts) || !Int(parts[2], out int priority)
                || parts[3].Length == 0 || !Int(parts[4], out int pid) || !Long(parts[5], out long start) || parts[6].Length == 0 || !Long(parts[7], out long expires))
            {
                return null;
            }

            return new QueueEntryName
            {
                Sequence = seq, Attempts = attempts, Priority = priority, Token = parts[3], HolderPid = pid, HolderStartTicks = start,
                HolderHost = parts[6], ExpiresTicks = expires, Id = parts[8],
            };
        }

        public static QueueEntryName? ParseFinished(string name)
        {
            string[]? parts = Split(name, 4);
            if (parts == null || !Long(parts[0], out long seq) || !Int(parts[1], out int attempts) || !Int(parts[2], out int priority))
            {
                return null;
            }

            return new QueueEntryName { Sequence = seq, Attempts = attempts, Priority = priority, Id = parts[3] };
        }

        /// <summary>The id a name of any state ends with, cheaply: <c>name</c> ends with <c>.id</c>.</summary>
        public static bool EndsWithId(string name, string id) =>
            name.Length > id.Length && name[name.Length - id.Length - 1] == '.' && string.CompareOrdinal(name, name.Length - id.Length, id, 0, id.Length) == 0;

        private static string[]? Split(string name, int count)
        {
            // Only the last field, the id, may hold dots; a name with fewer fields is someone else's file.
            string[] parts = name.Split(new[] { '.' }, count);
            return parts.Length == count && parts[0].Length == SequenceDigits && parts[count - 1].Length > 0 ? parts : null;
        }

        private static string Join(params string[] parts) => string.Join(".", parts);

        private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

        private static bool Long(string text, out long value) =>
            long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

        private static bool Int(string text, out int value) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
