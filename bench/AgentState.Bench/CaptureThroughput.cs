using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using AgentState.Runs;

namespace AgentState.Bench
{
    /// <summary>
    /// `dotnet run -c Release -- capture [MiB...]`: a child writes N MiB to stdout as fast as it can; the run store
    /// captures it into agent-1.stdout.log. Prints seconds, MB/s and this process's peak working set, beside the same
    /// child writing straight to a file by itself (what the disk and the child allow).
    /// </summary>
    public static class CaptureThroughput
    {
        public static int Run(string[] args)
        {
            int[] sizes = args.Length > 1 ? Array.ConvertAll(args[1..], a => int.Parse(a, CultureInfo.InvariantCulture)) : new[] { 64, 1024 };
            string folder = Path.Combine(AppContext.BaseDirectory, "bench-data", "capture-" + Guid.NewGuid().ToString("n"));
            Directory.CreateDirectory(folder);
            try
            {
                Console.WriteLine($"{"MiB",6} {"direct s",9} {"direct MB/s",12} {"capture s",10} {"capture MB/s",13} {"peak MiB",9}");
                foreach (int mib in sizes)
                {
                    string script = $"head -c {(long)mib * 1024 * 1024} /dev/zero";
                    string direct = Path.Combine(folder, $"direct-{mib}.out");
                    var clock = Stopwatch.StartNew();
                    using (Process shell = Process.Start("/bin/sh", new[] { "-c", script + " > '" + direct + "'" })!)
                    {
                        shell.WaitForExit();
                    }

                    double directSeconds = clock.Elapsed.TotalSeconds;
                    File.Delete(direct);

                    var store = new RunStore(Path.Combine(folder, "runs"));
                    string id = "capture-" + mib;
                    store.Create(new RunDraft { Id = id });
                    clock.Restart();
                    AgentResultRecord result = RunCapture.Run(store, id, new CaptureRequest(1, "/bin/sh") { Arguments = { "-c", script } });
                    double seconds = clock.Elapsed.TotalSeconds;
                    long bytes = new FileInfo(result.StdoutFile!).Length;
                    if (bytes != (long)mib * 1024 * 1024 || result.Success != true)
                    {
                        Console.Error.WriteLine($"captured {bytes} bytes, success {result.Success}");
                        return 1;
                    }

                    double peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0;
                    Console.WriteLine($"{mib,6} {directSeconds,9:F2} {bytes / 1e6 / directSeconds,12:F0} {seconds,10:F2} {bytes / 1e6 / seconds,13:F0} {peak,9:F1}");
                    File.Delete(result.StdoutFile!);
                }

                return 0;
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
