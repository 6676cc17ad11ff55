using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;

namespace AgentState.Tests.Support
{
    /// <summary>
    /// One client of a shared agent store as a process of its own (the StoreUpdateClient fixture), its output lines
    /// collected as they come: "ready", then "ack key", "unknown key", "retry message", "done" or "error message".
    /// </summary>
    public sealed class StoreClientProcess : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _lines = new ConcurrentQueue<string>();
        private readonly ManualResetEventSlim _ready = new ManualResetEventSlim();
        private readonly Thread _reader;
        private int _acknowledged;

        /// <summary>Starts a client that will update <paramref name="agentId"/> <paramref name="updates"/> times (0: until <see cref="Stop"/>).</summary>
        public StoreClientProcess(string store, string agentId, string name, int updates)
        {
            Name = name;
            var start = new ProcessStartInfo(CliProcess.DotNet)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[] { RepoPaths.StoreUpdateClient, store, agentId, name, updates.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }

            _process = Process.Start(start) ?? throw new InvalidOperationException("the store client did not start");
            _process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data != null)
                {
                    _lines.Enqueue("stderr " + e.Data);
                }
            };
            _process.BeginErrorReadLine();
            _reader = new Thread(Read) { IsBackground = true, Name = "store client " + name };
            _reader.Start();
        }

        public string Name { get; }

        /// <summary>Every line so far, in order.</summary>
        public IReadOnlyList<string> Lines => _lines.ToArray();

        /// <summary>The keys the client was told are committed.</summary>
        public IReadOnlyList<string> Acknowledged => Keys("ack ");

        /// <summary>The keys whose commit was cut off (the outcome unknown, as the store said).</summary>
        public IReadOnlyList<string> Unknown => Keys("unknown ");

        /// <summary>The store's reports of work tried again after it certainly did not commit.</summary>
        public IReadOnlyList<string> Retries => Lines.Where(line => line.StartsWith("retry ", StringComparison.Ordinal)).ToList();

        /// <summary>How many updates were acknowledged so far.</summary>
        public int AcknowledgedCount => Volatile.Read(ref _acknowledged);

        public bool WaitReady(TimeSpan timeout) => _ready.Wait(timeout);

        /// <summary>Starts the updates.</summary>
        public void Go() => _process.StandardInput.WriteLine("go");

        /// <summary>Ends a client started with 0 updates after the update it is doing.</summary>
        public void Stop() => _process.StandardInput.Close();

        /// <summary>Waits for the client to end; its exit code, or null if it did not end in time.</summary>
        public int? WaitForExit(TimeSpan timeout)
        {
            if (!_process.WaitForExit((int)timeout.TotalMilliseconds))
            {
                return null;
            }

            _process.WaitForExit();
            _reader.Join();
            return _process.ExitCode;
        }

        /// <summary>What the client said, for a failure message.</summary>
        public string Describe() =>
            $"client {Name}: {string.Join(" | ", Lines.Where(line => !line.StartsWith("ack ", StringComparison.Ordinal)).Take(20))} ({AcknowledgedCount} acknowledged)";

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // already gone
            }

            _process.Dispose();
            _ready.Dispose();
        }

        private IReadOnlyList<string> Keys(string prefix) =>
            Lines.Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).Select(line => line.Substring(prefix.Length)).ToList();

        private void Read()
        {
            string? line;
            while ((line = _process.StandardOutput.ReadLine()) != null)
            {
                _lines.Enqueue(line);
                if (line == "ready")
                {
                    _ready.Set();
                }
                else if (line.StartsWith("ack ", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _acknowledged);
                }
            }
        }
    }
}
