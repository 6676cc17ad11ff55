using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using AgentState.Queue;
using BenchmarkDotNet.Attributes;

namespace AgentState.Bench
{
    /// <summary>
    /// A durable enqueue, and a claim plus complete, per item, against the floor: one durable atomic replace of a file of
    /// the same size written with plain system calls (create-new temp, write, fsync, rename, fsync the folder).
    /// </summary>
    [Config(typeof(InProcessConfig))]
    public class QueueBenchmarks
    {
        private const int Batch = 64;
        private static readonly string Payload = "{\"repo\":\"api\",\"branch\":\"main\",\"note\":\"" + new string('x', 480) + "\"}";
        private string _folder = string.Empty;
        private string _target = string.Empty;
        private byte[] _content = Array.Empty<byte>();
        private FolderWorkQueue _queue = null!;
        private int _counter;

        [GlobalSetup]
        public void Setup()
        {
            // Beside the repository, on the disk the project works on, not on a tmpfs.
            _folder = Path.Combine(AppContext.BaseDirectory, "bench-data", Guid.NewGuid().ToString("n"));
            Directory.CreateDirectory(_folder);
            _target = Path.Combine(_folder, "state.json");
            _content = Encoding.UTF8.GetBytes(Payload);
            File.WriteAllBytes(_target, _content);
            _queue = new FolderWorkQueue(Path.Combine(_folder, "queue"));
        }

        [GlobalCleanup]
        public void Cleanup() => Directory.Delete(_folder, recursive: true);

        [IterationSetup(Target = nameof(ClaimComplete))]
        public void Fill()
        {
            for (int i = 0; i < Batch; i++)
            {
                _queue.Enqueue(new WorkItemDraft("fill-" + (_counter++).ToString("x"), Payload));
            }
        }

        [Benchmark(Baseline = true, Description = "atomic replace, plain syscalls")]
        public void Plain()
        {
            string temp = _target + ".tmp." + Environment.ProcessId + "." + (_counter++).ToString("x");
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
            {
                stream.Write(_content, 0, _content.Length);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, _target, overwrite: true);
            int fd = open(_folder, 0x80000, 0);
            fsync(fd);
            close(fd);
        }

        [Benchmark(Description = "durable enqueue")]
        public void Enqueue() => _queue.Enqueue(new WorkItemDraft("e-" + (_counter++).ToString("x"), Payload));

        [Benchmark(Description = "claim + complete", OperationsPerInvoke = Batch)]
        [InvocationCount(1)]
        public void ClaimComplete()
        {
            for (int i = 0; i < Batch; i++)
            {
                WorkItem item = _queue.Claim(LeaseHolder.Current, TimeSpan.FromMinutes(5)) ?? throw new InvalidOperationException("the queue ran dry");
                _queue.Complete(item.Id, item.LeaseToken!);
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int open(string path, int flags, int mode);

        [DllImport("libc", SetLastError = true)]
        private static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        private static extern int close(int fd);
    }
}
