using System;
using AgentState.Json;

namespace AgentState.Runs
{
    /// <summary>
    /// One JSON file of a run folder, read into typed properties over the whole object, so that fields this module
    /// does not know survive every rewrite.
    /// </summary>
    public abstract class RunDocument
    {
        private protected RunDocument(string path, OrderedJsonObject fields, JsonTree? source)
        {
            Path = path;
            Fields = fields;
            Source = source;
        }

        /// <summary>The file.</summary>
        public string Path { get; }

        /// <summary>The run folder.</summary>
        public string Folder => System.IO.Path.GetDirectoryName(Path)!;

        /// <summary>The run's id (the folder's name).</summary>
        public string RunId => System.IO.Path.GetFileName(Folder);

        /// <summary>The store's root folder (the folder that holds the run folders).</summary>
        public string Root => System.IO.Path.GetDirectoryName(Folder)!;

        /// <summary>Every field of the file, known or not, in its order.</summary>
        internal OrderedJsonObject Fields { get; }

        /// <summary>The document as read, for writing it back in its own layout; null for a new one.</summary>
        internal JsonTree? Source { get; }

        private protected string? Text(string key) => JsonFields.Text(Fields, key);

        private protected DateTimeOffset? Time(string key) => JsonFields.Time(Fields, key);

        private protected int? Int(string key) => JsonFields.Int(Fields, key);

        private protected long? Long(string key) => JsonFields.Long(Fields, key);

        private protected bool? Bool(string key) => JsonFields.Bool(Fields, key);
    }
}
