using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace AgentState.Tests.Support
{
    /// <summary>
    /// A throwaway PostgreSQL cluster: initdb in a temp folder, the server listening only on a Unix socket in that folder,
    /// stopped and removed on Dispose. As root (CI), the cluster belongs to the <c>postgres</c> user, because initdb and
    /// the server refuse to run as root.
    /// </summary>
    public sealed class PostgresServer : IDisposable
    {
        private const int Port = 5432; // with no TCP listener it only names the socket file, which is in our own folder

        private readonly string? _user;

        public PostgresServer()
        {
            BinFolder = FindBinaries() ?? throw new InvalidOperationException(SkipReason);
            Folder = System.IO.Path.Combine("/tmp", "as-pg-" + Guid.NewGuid().ToString("n").Substring(0, 12));
            DataFolder = System.IO.Path.Combine(Folder, "data");
            Directory.CreateDirectory(Folder);
            if (Unix.IsRoot)
            {
                _user = "postgres";
                Run("chown", _user, Folder);
            }

            Tool("initdb", "-D", DataFolder, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync");
            Start();
            ConnectionString = $"Host={Folder};Port={Port};Username=postgres;Database=postgres";
        }

        /// <summary>Why the PostgreSQL tests are skipped here, or null when they can run.</summary>
        public static string? SkipReason => FindBinaries() == null
            ? "no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or on PATH; .ci/run installs the Debian postgresql package"
            : Unix.IsRoot && !UserExists("postgres")
                ? "running as root without a 'postgres' user to run the server as (initdb refuses root)"
                : null;

        public string BinFolder { get; }

        public string Folder { get; }

        public string DataFolder { get; }

        /// <summary>Npgsql keywords for the superuser on the socket.</summary>
        public string ConnectionString { get; }

        /// <summary>The same server as a URI, the form most users give.</summary>
        public string Uri => $"postgresql://postgres@/postgres?host={System.Uri.EscapeDataString(Folder)}&port={Port}";

        /// <summary>pg_ctl restart -m fast: every client connection is cut, the server comes back on the same socket.</summary>
        public void Restart() => Tool("pg_ctl", "-D", DataFolder, "-w", "-t", "120", "-m", "fast", "-o", ServerOptions, "-l", LogFile, "restart");

        public void Dispose()
        {
            try
            {
                Tool("pg_ctl", "-D", DataFolder, "-w", "-t", "60", "-m", "immediate", "stop");
            }
            catch (InvalidOperationException)
            {
            }

            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private string LogFile => System.IO.Path.Combine(Folder, "server.log");

        private string ServerOptions => $"-k {Folder} -p {Port} -c listen_addresses='' -c max_connections=100";

        private void Start() => Tool("pg_ctl", "-D", DataFolder, "-w", "-t", "120", "-o", ServerOptions, "-l", LogFile, "start");

        private void Tool(string name, params string[] arguments)
        {
            string program = System.IO.Path.Combine(BinFolder, name);
            if (_user == null)
            {
                Run(program, arguments);
            }
            else
            {
                Run("runuser", new[] { "-u", _user, "--", program }.Concat(arguments).ToArray());
            }
        }

        private void Run(string file, params string[] arguments)
        {
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
            foreach (string argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                string log = File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no server log)";
                throw new InvalidOperationException($"{file} {string.Join(" ", arguments)} exited {process.ExitCode}: {output.Result}{error}\nserver log:\n{log}");
            }
        }

        private static string? FindBinaries()
        {
            string? configured = Environment.GetEnvironmentVariable("AGENTSTATE_PG_BIN");
            if (!string.IsNullOrEmpty(configured) && File.Exists(System.IO.Path.Combine(configured, "initdb")))
            {
                return configured;
            }

            if (Directory.Exists("/usr/lib/postgresql"))
            {
                string? newest = Directory.EnumerateDirectories("/usr/lib/postgresql")
                    .Select(d => System.IO.Path.Combine(d, "bin"))
                    .Where(bin => File.Exists(System.IO.Path.Combine(bin, "initdb")) && File.Exists(System.IO.Path.Combine(bin, "pg_ctl")))
                    .OrderByDescending(bin => int.TryParse(System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(bin)), out int v) ? v : 0)
                    .FirstOrDefault();
                if (newest != null)
                {
                    return newest;
                }
            }

            return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
                .FirstOrDefault(dir => dir.Length > 0 && File.Exists(System.IO.Path.Combine(dir, "initdb")) && File.Exists(System.IO.Path.Combine(dir, "pg_ctl")));
        }

        private static bool UserExists(string name) => File.ReadLines("/etc/passwd").Any(line => line.StartsWith(name + ":", StringComparison.Ordinal));
    }
}
