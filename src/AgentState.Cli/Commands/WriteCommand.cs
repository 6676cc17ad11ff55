using System;
using System.CommandLine;
using System.IO;
using System.Text;
using AgentState.IO;
using AgentState.Text;

namespace AgentState.Cli.Commands
{
    /// <summary><c>agentstate write &lt;path&gt;</c>: replace a file's content atomically and durably.</summary>
    internal static class WriteCommand
    {
        public static Command Create()
        {
            var path = new Argument<string>("path") { Description = "The file to replace (created if missing)." };
            var value = new Option<string?>("--value") { Description = "The text to write, followed by a newline. Without it, standard input is written as it comes." };
            var encoding = new Option<string>("--encoding")
            {
                Description = "Text encoding: " + string.Join(", ", TextEncodings.Names) + ".",
                DefaultValueFactory = _ => TextEncodings.DefaultName,
            };
            var noNewline = new Option<bool>("--no-newline") { Description = "Do not end --value with a newline; strip one trailing newline from standard input." };
            var durability = new Option<Durability>("--durability") { Description = "Durable (fsync file and folder; the default) or Atomic (no fsync)." };
            var validate = new Option<ContentValidation>("--validate") { Description = "None, or Json: refuse content that is not one JSON document." };
            var createDirs = new Option<bool>("--create-dirs") { Description = "Create missing parent folders." };

            var command = new Command("write", "Replace a file's content atomically and durably.")
            {
                path, value, encoding, noNewline, durability, validate, createDirs,
            };

            command.SetAction(parsed => CommandRunner.Run(() =>
            {
                Encoding textEncoding = ResolveEncoding(parsed.GetValue(encoding));
                var options = new AtomicWriteOptions
                {
                    Durability = parsed.GetValue(durability),
                    Validation = parsed.GetValue(validate),
                    CreateDirectories = parsed.GetValue(createDirs),
                };

                string target = parsed.GetValue(path)!;
                string? text = parsed.GetValue(value);
                bool trim = parsed.GetValue(noNewline);
                var writer = new AtomicFileWriter();
                if (text != null)
                {
                    writer.WriteText(target, trim ? text : text + "\n", textEncoding, options);
                    return ExitCodes.Success;
                }

                bool byteForByte = textEncoding is UTF8Encoding && textEncoding.GetPreamble().Length == 0;
                if (byteForByte && !trim && options.Validation == ContentValidation.None)
                {
                    // Straight from the pipe into the temp file: input of any size, never all of it in memory.
                    writer.WriteStreaming(target, output =>
                    {
                        using Stream stdin = Console.OpenStandardInput();
                        stdin.CopyTo(output);
                    }, options);
                    return ExitCodes.Success;
                }

                byte[] input = ReadStandardInput(trim);
                if (byteForByte)
                {
                    writer.Write(target, input, options); // Byte for byte: nothing to transcode.
                }
                else
                {
                    writer.WriteText(target, DecodeUtf8(input, target), textEncoding, options);
                }

                return ExitCodes.Success;
            }));
            return command;
        }

        private static Encoding ResolveEncoding(string? name)
        {
            try
            {
                return TextEncodings.Get(name);
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }
        }

        private static byte[] ReadStandardInput(bool stripOneNewline)
        {
            using Stream stdin = Console.OpenStandardInput();
            using var buffer = new MemoryStream();
            stdin.CopyTo(buffer);
            byte[] bytes = buffer.ToArray();
            if (stripOneNewline && bytes.Length > 0 && bytes[bytes.Length - 1] == (byte)'\n')
            {
                int cut = bytes.Length > 1 && bytes[bytes.Length - 2] == (byte)'\r' ? 2 : 1;
                Array.Resize(ref bytes, bytes.Length - cut);
            }

            return bytes;
        }

        private static string DecodeUtf8(byte[] input, string target)
        {
            try
            {
                return new UTF8Encoding(false, true).GetString(input);
            }
            catch (DecoderFallbackException)
            {
                throw new InvalidDataException($"Cannot write '{target}': standard input is not UTF-8 text, so it cannot be converted to another encoding. Nothing was written.");
            }
        }
    }
}
