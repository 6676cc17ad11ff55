using System;
using System.IO;
using System.Linq;
using System.Text;
using AgentState.IO;
using AgentState.Json;
using AgentState.Runs;
using BenchmarkDotNet.Attributes;

namespace AgentState.Bench
{
    /// <summary>
    /// Saving an iteration's agent result (agent-1.json, the .log file when the output is large, run.json and the
    /// agent:complete event, under the run's lock) against the floor: one durable atomic replace of the same bytes.
    /// </summary>
    [Config(typeof(InProcessConfig))]
    public class RunSaveBenchmarks
    {
        private string _folder = string.Empty;
        private string _floorTarget = string.Empty;
        private byte[] _bytes = Array.Empty<byte>();
        private string _text = string.Empty;
        private RunStore _store = null!;
        private readonly AtomicFileWriter _writer = new AtomicFileWriter();

        [Params(1024, 10 * 1024 * 1024)]
        public int Size { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _folder = Path.Combine(AppContext.BaseDirectory, "bench-data", Guid.NewGuid().ToString("n"));
            Directory.CreateDirectory(_folder);
            _floorTarget = Path.Combine(_folder, "floor.json");
            var line = "compiling src/module.ts ... ok\n";
            var text = new StringBuilder(Size + line.Length);
            while (text.Length < Size)
            {
                text.Append(line);
            }

            _text = text.ToString(0, Size);
            _bytes = Encoding.UTF8.GetBytes(_text);
            _store = new RunStore(Path.Combine(_folder, "runs"));
            _store.Create(new RunDraft { Id = "bench" });
        }

        [GlobalCleanup]
        public void Cleanup() => Directory.Delete(_folder, recursive: true);

        [Benchmark(Baseline = true, Description = "atomic replace of the bytes (floor)")]
        public void Floor() => _writer.Write(_floorTarget, _bytes);

        [Benchmark(Description = "SaveAgentResult")]
        public void Save() => _store.SaveAgentResult("bench", new AgentResultDraft(1) { Stdout = AgentOutput.FromText(_text), ExitCode = 0, Model = "sonnet" });
    }

    /// <summary>Listing a runs folder of 10,000 runs: every run.json read, and with a state filter.</summary>
    [Config(typeof(LongRunConfig))]
    public class RunListBenchmarks
    {
        private string _folder = string.Empty;
        private RunStore _store = null!;

        [Params(10_000)]
        public int Runs { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _folder = Path.Combine(AppContext.BaseDirectory, "bench-data", "runs-" + Runs);
            _store = new RunStore(_folder);
            if (Directory.Exists(_folder) && Directory.GetDirectories(_folder).Length == Runs)
            {
                return;
            }

            // Written plainly (the listing is measured, not the creation): the store's own form, half failed.
            for (int i = 0; i < Runs; i++)
            {
                string id = "run-" + i.ToString("D6");
                string dir = Directory.CreateDirectory(Path.Combine(_folder, id)).FullName;
                string state = i % 2 == 0 ? "failed" : "succeeded";
                File.WriteAllText(Path.Combine(dir, "run.json"),
                    $"{{\n  \"id\": \"{id}\",\n  \"workOrderId\": \"wo-{i}\",\n  \"state\": \"{state}\",\n  \"result\": \"{(i % 2 == 0 ? "failed_build" : "passed")}\",\n  \"error\": null,\n  \"sessionId\": \"s-{i}\",\n  \"iteration\": 3,\n  \"createdAt\": \"2026-11-22T12:00:00.000+00:00\",\n  \"updatedAt\": \"2026-11-22T12:30:00.000+00:00\",\n  \"metadata\": {{}}\n}}\n");
            }
        }

        [Benchmark(Description = "list every run")]
        public int All() => _store.Scan().Count();

        [Benchmark(Description = "list failed runs")]
        public int Failed() => _store.Scan(new RunQuery { States = { "failed" } }).Count();
    }
}
