using BenchmarkDotNet.Running;

namespace AgentState.Bench
{
    public static class Program
    {
        public static int Main(string[] args)
        {
            // Whole-process measurements take a word of their own; everything else goes to BenchmarkDotNet.
            if (args.Length > 0 && args[0] == "lock-waits")
            {
                return LockWaitMeasurement.Run(args);
            }

            if (args.Length > 0 && args[0] == "startup")
            {
                return StartupMeasurement.Run(args);
            }

            if (args.Length > 0 && args[0] == "list-runs")
            {
                return RunListMeasurement.Run(args);
            }

            if (args.Length > 0 && args[0] == "capture")
            {
                return CaptureThroughput.Run(args);
            }

            if (args.Length > 0 && args[0] == "lock-worker")
            {
                return LockWaitMeasurement.Work(args);
            }

            if (args.Length > 0 && args[0] == "queue-position")
            {
                return QueueMeasurement.Position(args);
            }

            if (args.Length > 0 && args[0] == "queue-throughput")
            {
                return QueueMeasurement.Throughput(args);
            }

            if (args.Length > 0 && args[0] == "queue-consumer")
            {
                return QueueMeasurement.Consume(args);
            }

            if (args.Length > 0 && args[0] == "store-backends")
            {
                return StoreBackendMeasurement.Run(args);
            }

            if (args.Length > 0 && args[0] == "queue-backends")
            {
                return QueueBackendMeasurement.Run(args);
            }

            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
            return 0;
        }
    }
}
