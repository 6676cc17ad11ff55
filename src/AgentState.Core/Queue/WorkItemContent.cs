using System;
using System.IO;
using System.Text;
using System.Text.Json;
using AgentState.Text;

namespace AgentState.Queue
{
    /// <summary>
    /// An item file's content: what never changes about the item (id, priority, payload, when it was enqueued, its
    /// maximum of attempts). It is written once, before the item is queued, and only ever renamed after that.
    /// </summary>
    internal static class WorkItemContent
    {
        public static byte[] Serialize(WorkItemDraft draft, DateTimeOffset enqueuedAt)
        {
            using (var buffer = new MemoryStream())
            {
                using (var json = new Utf8JsonWriter(buffer))
                {
                    json.WriteStartObject();
                    json.WriteString("id", draft.Id);
                    json.WriteNumber("priority", draft.Priority);
                    json.WriteNumber("maxAttempts", draft.MaxAttempts);
                    json.WriteString("enqueuedAt", IsoTimestamp.Format(enqueuedAt));
                    if (draft.NotBefore is DateTimeOffset notBefore)
                    {
                        json.WriteString("notBefore", IsoTimestamp.Format(notBefore));
                    }

                    json.WritePropertyName("payload");
                    json.WriteRawValue(draft.PayloadJson, skipInputValidation: false);
                    json.WriteEndObject();
                }

                buffer.WriteByte((byte)'\n');
                return buffer.ToArray();
            }
        }

        /// <summary>Fills the item's content fields from its file.</summary>
        /// <exception cref="InvalidDataException">The file is not an item's content; the message names it and says why.</exception>
        public static void Read(WorkItem item, byte[] bytes)
        {
            try
            {
                using (JsonDocument document = JsonDocument.Parse(bytes))
                {
                    JsonElement root = document.RootElement;
                    string? id = root.GetProperty("id").GetString();
                    if (id != item.Id)
                    {
                        throw new InvalidDataException($"The work item file '{item.Path}' holds the item '{id}', not '{item.Id}' as its name says.");
                    }

                    item.MaxAttempts = root.GetProperty("maxAttempts").GetInt32();
                    item.EnqueuedAt = IsoTimestamp.Parse(root.GetProperty("enqueuedAt").GetString());
                    item.PayloadJson = root.GetProperty("payload").GetRawText();
                }
            }
            catch (Exception ex) when (ex is JsonException || ex is System.Collections.Generic.KeyNotFoundException || ex is InvalidOperationException || ex is FormatException)
            {
                throw new InvalidDataException($"The work item file '{item.Path}' is not a work item: {ex.Message}", ex);
            }
        }

        public static byte[] SerializeError(string id, int attempt, string error, DateTimeOffset at)
        {
            using (var buffer = new MemoryStream())
            {
                using (var json = new Utf8JsonWriter(buffer))
                {
                    json.WriteStartObject();
                    json.WriteString("id", id);
                    json.WriteNumber("attempt", attempt);
                    json.WriteString("error", error);
                    json.WriteString("at", IsoTimestamp.Format(at));
                    json.WriteEndObject();
                }

                buffer.WriteByte((byte)'\n');
                return buffer.ToArray();
            }
        }

        public static string? ReadError(byte[] bytes)
        {
            try
            {
                using (JsonDocument document = JsonDocument.Parse(bytes))
                {
                    return document.RootElement.GetProperty("error").GetString();
                }
            }
            catch (Exception ex) when (ex is JsonException || ex is System.Collections.Generic.KeyNotFoundException || ex is InvalidOperationException)
            {
                return "(the error record is unreadable: " + ex.Message + ")";
            }
        }
    }
}
