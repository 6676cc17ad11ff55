using System;
using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using AgentState.IO;
using AgentState.Text;

namespace AgentState.Cli.Commands
{
    /// <summary>
    /// <c>agentstate update &lt;path&gt; -- &lt;command&gt; [args...]</c>: run a filter (jq, sed, a script) on the
    /// file's content under its lock and replace the file atomically with what it prints.
    /// </summary>
    internal static class UpdateCommand
    {
        public static Command Create()
        {
            var path = new Argument<string>("path") { Description = "The file to update." };
            var filter = new Argument<string[]>("command") { Description = "The command (after --) that reads the content on stdin and prints the new content.", Arity = ArgumentArity.OneOrMore };
            var timeout = new Option<double>("--lock-timeout") { Description = "Seconds to wait for the file's lock (default 10).", DefaultValueFactory = _ => 10 };
            var validate = new Option<string>("--validate")
            {
                Description = "json or none; json (refuse output that is not one JSON document) is the default for *.json files.",
                DefaultValueFactory = _ => "auto",
            };
            validate.AcceptOnlyFromAmong("auto", "json", "none");
            var create = new Option<bool>("--create") { Description = "Allow a missing file: the command reads empty input." };
            var durability = new Option<Durability>("--durability") { Description = "Durable (the default) or Atomic." };
            var command = new Command("update", "Run a command on the file's content under its lock and atomically replace the file with its output. A failing command or empty output changes nothing.")
            {
                path, filter, timeout, validate, create, durability,
            };

            command.SetAction(parsed => CommandRunner.Run(() =>
            {
                string target = parsed.GetValue(path)!;
                string[] argv = parsed.GetValue(filter)!;
                string mode = parsed.GetValue(validate)!;
                bool json = mode == "json" || (mode == "auto" && target.EndsWith(".json", StringComparison.OrdinalIgnoreCase));
                bool allowMissing = parsed.GetValue(create);
                var options = new AtomicWriteOptions
                {
                    Durability = parsed.GetValue(durability),
                    // The output is checked once, below, where the message can name the command that printed it.
                };

                Func<Exception> missing = () => new FileNotFoundException($"Cannot update '{target}': the file does not exist (use --create to start from empty input).");
                new LockedFileUpdater().Update(target, current =>
                {
                    if (current == null && !allowMissing)
                    {
                        throw missing(); // Removed while we waited for the lock.
                    }

                    byte[] output = RunFilter(target, argv, current ?? Array.Empty<byte>());
                    if (json && JsonText.FindError(output) is string error)
                    {
                        throw new InvalidDataException($"Cannot update '{target}': '{argv[0]}' printed text that is not valid JSON ({error}). Nothing was changed.");
                    }

                    return output;
                }, options, TimeSpan.FromSeconds(parsed.GetValue(timeout)), whenMissing: allowMissing ? null : missing);
                return ExitCodes.Success;
            }));
            return command;
        }

        private static byte[] RunFilter(string target, string[] argv, byte[] input)
        {
            var info = new ProcessStartInfo(argv[0])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = false,
                UseShellExecute = false,
            };
            for (int i = 1; i < argv.Length; i++)
            {
                info.ArgumentList.Add(argv[i]);
            }

            Process process;
            try
            {
                process = Process.Start(info) ?? throw new IOException($"Cannot update '{target}': '{argv[0]}' did not start. Nothing was changed.");
            }
            catch (Win32Exception ex)
            {
                throw new IOException($"Cannot update '{target}': cannot run '{argv[0]}': {ex.Message}. Nothing was changed.", ex);
            }

            using (process)
            {
                using var output = new MemoryStream();
                Task reading = process.StandardOutput.BaseStream.CopyToAsync(output);
                try
                {
                    process.StandardInput.BaseStream.Write(input, 0, input.Length);
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // The filter stopped reading early (head, a failing jq): its exit code tells the rest.
                }

                reading.Wait();
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    throw new IOException($"Cannot update '{target}': '{argv[0]}' exited with code {process.ExitCode}. Nothing was changed.");
                }

                if (output.Length == 0)
                {
                    throw new IOException($"Cannot update '{target}': '{argv[0]}' printed nothing. Nothing was changed.");
                }

                return output.ToArray();
            }
        }
    }
}
