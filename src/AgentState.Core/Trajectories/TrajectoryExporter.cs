using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using AgentState.IO;
using AgentState.Json;

namespace AgentState.Trajectories
{
    /// <summary>
    /// Turns a trajectory stream (or a legacy document) into one ATIF document that passes the validator's rules:
    /// the header's fields, every step in order, final_metrics; no null fields. Steps are written as they are read,
    /// so a trajectory of any size exports in flat memory.
    /// </summary>
    public static class TrajectoryExporter
    {
        private static readonly byte[] Comma = { (byte)',' };

        /// <summary>Writes the document to <paramref name="output"/>.</summary>
        /// <exception cref="AtifValidationException">A step breaks a rule.</exception>
        /// <exception cref="TrajectoryCorruptException">A line is not JSON, or the stream has no header.</exception>
        public static void Export(string path, Stream output, string? schemaVersion = null)
        {
            if (schemaVersion != null && !AtifSchema.IsVersion(schemaVersion))
            {
                throw new AtifValidationException("schema_version", $"must be one of {string.Join(", ", AtifSchema.Versions)} (it is '{schemaVersion}')");
            }

            string full = Path.GetFullPath(path);
            if (!full.EndsWith(TrajectoryFiles.JsonlSuffix, StringComparison.Ordinal))
            {
                ExportLegacy(full, output, schemaVersion);
                return;
            }

            OrderedJsonObject? header = null;
            OrderedJsonObject? final = null;
            long expected = 1;
            bool opened = false;
            foreach (TrajectoryLine line in TrajectoryLineReader.Read(full))
            {
                switch (line.Kind)
                {
                    case TrajectoryLineKind.Header:
                        header = TrajectoryWriter.WithoutMarker(line.Value!, "__header__", "created_at");
                        if (schemaVersion != null)
                        {
                            header["schema_version"] = schemaVersion;
                        }

                        AtifValidator.ValidateHeader(header, "header", allowSteps: false);
                        break;
                    case TrajectoryLineKind.Step:
                        if (header == null)
                        {
                            throw new TrajectoryCorruptException(full, "a step comes before the header");
                        }

                        OrderedJsonObject step = WithoutNulls(line.Value!);
                        AtifValidator.ValidateStep(step, expected++);
                        if (!opened)
                        {
                            WriteOpening(output, header);
                            opened = true;
                        }
                        else
                        {
                            output.Write(Comma, 0, 1);
                        }

                        Write(output, step);
                        break;
                    case TrajectoryLineKind.Final:
                        final = line.Value!.ContainsKey("final_metrics") ? line.Value["final_metrics"] as OrderedJsonObject : null;
                        break;
                    case TrajectoryLineKind.Malformed:
                        throw new TrajectoryCorruptException(full, $"line {line.LineNumber} is not valid JSON ({line.Error})");
                    case TrajectoryLineKind.Torn:
                        // A torn last line is not a step yet; the export holds what was acknowledged.
                        break;
                }
            }

            if (header == null)
            {
                throw new TrajectoryCorruptException(full, "it has no header line");
            }

            if (!opened)
            {
                WriteOpening(output, header);
            }

            WriteClosing(output, final == null ? null : WithoutNulls(final));
        }

        /// <summary>Writes the document to a file with the durable atomic replace.</summary>
        public static AtomicWriteResult ExportToFile(string path, string destination, string? schemaVersion = null, AtomicWriteOptions? options = null) =>
            new AtomicFileWriter().WriteStreaming(destination, output => Export(path, output, schemaVersion), options);

        /// <summary>A copy without null-valued members, except inside extra and tool arguments, which are the caller's own data.</summary>
        public static OrderedJsonObject WithoutNulls(OrderedJsonObject value)
        {
            var copy = new OrderedJsonObject();
            foreach (KeyValuePair<string, object?> member in value)
            {
                if (member.Value == null)
                {
                    continue;
                }

                copy[member.Key] = member.Key == "extra" || member.Key == "arguments" ? member.Value : Strip(member.Value);
            }

            return copy;
        }

        private static object? Strip(object? value) => value switch
        {
            OrderedJsonObject obj => WithoutNulls(obj),
            List<object?> list => list.ConvertAll(Strip),
            _ => value,
        };

        private static void WriteOpening(Stream output, OrderedJsonObject header)
        {
            var root = WithoutNulls(header);
            byte[] text = JsonTreeWriter.Write(root, Compact);
            // The header object without its closing brace, then the steps array.
            output.Write(text, 0, text.Length - 1);
            byte[] steps = Encoding.UTF8.GetBytes((root.Count > 0 ? "," : string.Empty) + "\"steps\":[");
            output.Write(steps, 0, steps.Length);
        }

        private static void WriteClosing(Stream output, OrderedJsonObject? final)
        {
            string tail = "]";
            if (final != null)
            {
                tail += ",\"final_metrics\":" + Encoding.UTF8.GetString(JsonTreeWriter.Write(final, Compact));
            }

            byte[] bytes = Encoding.UTF8.GetBytes(tail + "}\n");
            output.Write(bytes, 0, bytes.Length);
        }

        private static void Write(Stream output, OrderedJsonObject value)
        {
            byte[] text = JsonTreeWriter.Write(value, Compact);
            output.Write(text, 0, text.Length);
        }

        private static void ExportLegacy(string path, Stream output, string? schemaVersion)
        {
            if (!(JsonTreeReader.Read(PlainFile.ReadAllBytes(path, TrajectoryFiles.Role)).Root is OrderedJsonObject document))
            {
                throw new TrajectoryCorruptException(path, "it is not a JSON object");
            }

            document = WithoutNulls(document);
            if (schemaVersion != null)
            {
                document["schema_version"] = schemaVersion;
            }

            AtifValidator.ValidateDocument(document);
            byte[] text = JsonTreeWriter.Write(document, JsonTree.CreateEmptyObject());
            output.Write(text, 0, text.Length);
        }

        private static readonly JsonTree Compact = JsonTreeReader.Read("{}");
    }
}
