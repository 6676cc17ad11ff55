using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AgentState.IO;

namespace AgentState.Trajectories
{
    /// <summary>
    /// Where a trajectory's files are: <c>&lt;root&gt;/YYYYMMDD/&lt;session&gt;.atif.jsonl</c> (the truth),
    /// <c>&lt;session&gt;.index.json</c> (a cache), and <c>&lt;session&gt;.atif.jsonl.torn</c> (torn tails kept aside).
    /// </summary>
    public static class TrajectoryFiles
    {
        /// <summary>The extension of the trajectory stream.</summary>
        public const string JsonlSuffix = ".atif.jsonl";

        /// <summary>What a trajectory stream is called in messages about a path that is not a plain file.</summary>
        internal const string Role = "trajectory";

        /// <summary>The extension of the index.</summary>
        public const string IndexSuffix = ".index.json";

        /// <summary>The environment variable that names the default root.</summary>
        public const string RootVariable = "AGENTSTATE_TRAJECTORIES";

        /// <summary>The default root under the current location.</summary>
        public static readonly string DefaultRootRelative = Path.Combine(".agentstate", "trajectories");

        /// <summary>$AGENTSTATE_TRAJECTORIES (relative to <paramref name="currentDirectory"/>), else ./.agentstate/trajectories.</summary>
        public static string DefaultRoot(string currentDirectory)
        {
            string? configured = Environment.GetEnvironmentVariable(RootVariable);
            return Path.Combine(currentDirectory, string.IsNullOrEmpty(configured) ? DefaultRootRelative : configured);
        }

        /// <summary>The stream file for a new session created at <paramref name="createdAt"/>.</summary>
        public static string NewPath(string root, string sessionId, DateTimeOffset createdAt) =>
            Path.Combine(Path.GetFullPath(root), createdAt.UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture),
                FileNameRules.Validate(sessionId, "session id") + JsonlSuffix);

        /// <summary>The index beside a stream file.</summary>
        public static string IndexPathFor(string jsonlPath) => jsonlPath.Substring(0, jsonlPath.Length - JsonlSuffix.Length) + IndexSuffix;

        /// <summary>Where a stream's torn tails go.</summary>
        public static string TornPathFor(string jsonlPath) => jsonlPath + ".torn";

        /// <summary>The session id a stream file is named for.</summary>
        public static string SessionIdOf(string path)
        {
            string name = Path.GetFileName(path);
            if (name.EndsWith(JsonlSuffix, StringComparison.Ordinal))
            {
                return name.Substring(0, name.Length - JsonlSuffix.Length);
            }

            return Path.GetFileNameWithoutExtension(name);
        }

        /// <summary>The stream file of a session, in whichever date folder it is; null when there is none (or no root yet).</summary>
        public static string? Find(string root, string sessionId)
        {
            FileNameRules.Validate(sessionId, "session id");
            if (!Directory.Exists(Path.GetFullPath(root)))
            {
                return null;
            }

            return All(root).FirstOrDefault(p => SessionIdOf(p) == sessionId && p.EndsWith(JsonlSuffix, StringComparison.Ordinal));
        }

        /// <summary>Every trajectory under a root: streams, and legacy single-document .json files, by date then name.</summary>
        /// <exception cref="TrajectoryRootNotFoundException">The root does not exist (thrown by the call, not by the first read).</exception>
        public static IEnumerable<string> All(string root)
        {
            string full = Path.GetFullPath(root);
            if (!Directory.Exists(full))
            {
                throw new TrajectoryRootNotFoundException(full);
            }

            return AllUnder(full);
        }

        private static IEnumerable<string> AllUnder(string full)
        {

            foreach (string folder in Directory.EnumerateDirectories(full).OrderBy(d => d, StringComparer.Ordinal))
            {
                foreach (string file in Directory.EnumerateFiles(folder).OrderBy(f => f, StringComparer.Ordinal))
                {
                    if (IsTrajectory(file))
                    {
                        yield return file;
                    }
                }
            }
        }

        /// <summary>A stream (.atif.jsonl) or a legacy single-document trajectory (.json that is not an index).</summary>
        public static bool IsTrajectory(string file) =>
            file.EndsWith(JsonlSuffix, StringComparison.Ordinal)
            || (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !file.EndsWith(IndexSuffix, StringComparison.Ordinal) && !Path.GetFileName(file).Contains(".tmp."));
    }
}
