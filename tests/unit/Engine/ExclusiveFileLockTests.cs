using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AgentState.IO;
using AgentState.Locking;
using AgentState.Tests.Support;
using Xunit;

namespace AgentState.Tests.Engine
{
    public sealed class ExclusiveFileLockTests : IDisposable
    {
        private readonly TestFolder _folder = new TestFolder();

        public void Dispose() => _folder.Dispose();

        [Fact]
        public void A_held_lock_refuses_a_second_holder_and_names_the_first()
        {
            string target = _folder.File("agent-history.json");
            using (ExclusiveFileLock.Acquire(target, TimeSpan.FromSeconds(1)))
            {
                var error = Assert.Throws<FileLockedException>(() => ExclusiveFileLock.Acquire(target, TimeSpan.FromMilliseconds(50)));

                Assert.Equal(Environment.ProcessId, error.HolderProcessId);
                Assert.NotNull(error.HeldSince);
                Assert.Contains(target, error.Message);
                Assert.Contains($"process {Environment.ProcessId}", error.Message);
                Assert.Contains("Nothing was changed", error.Message);
                Assert.Equal(target + ".lock", error.LockPath);
            }
        }

        [Fact]
        public void A_released_lock_can_be_taken_again_and_the_lock_file_stays()
        {
            string target = _folder.File("a.json");
            ExclusiveFileLock first = ExclusiveFileLock.Acquire(target, TimeSpan.FromSeconds(1));
            first.Dispose();
            first.Dispose();

            using ExclusiveFileLock second = ExclusiveFileLock.Acquire(target, TimeSpan.FromSeconds(1));

            Assert.True(File.Exists(target + ".lock"));
        }

        [Fact]
        public void Links_to_one_file_share_one_lock()
        {
            string real = _folder.File("real.json");
            File.WriteAllText(real, "{}");
            File.CreateSymbolicLink(_folder.File("link.json"), real);

            using (ExclusiveFileLock.Acquire(real, TimeSpan.FromSeconds(1)))
            {
                Assert.Throws<FileLockedException>(() => ExclusiveFileLock.Acquire(_folder.File("link.json"), TimeSpan.FromMilliseconds(20)));
            }
        }

        [Fact]
        public void A_lock_its_owner_forgot_is_released_when_collected()
        {
            string target = _folder.File("forgotten.json");
            Forget(target);

            GC.Collect();
            GC.WaitForPendingFinalizers();

            using ExclusiveFileLock again = ExclusiveFileLock.Acquire(target, TimeSpan.FromSeconds(1));
            Assert.Equal(target + ".lock", again.LockPath);
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static void Forget(string target) => ExclusiveFileLock.Acquire(target, TimeSpan.FromSeconds(1));

        [Fact]
        public async Task A_wait_cancelled_while_it_waits_stops_at_once()
        {
            string target = _folder.File("a.json");
            using var held = ExclusiveFileLock.Acquire(target, TimeSpan.FromSeconds(1));
            using var cancel = new CancellationTokenSource();
            var clock = Stopwatch.StartNew();
            Task waiting = Task.Run(() => ExclusiveFileLock.Acquire(target, TimeSpan.FromMinutes(10), cancel.Token));

            cancel.CancelAfter(100);

            // Bounded generously for a busy machine; the wait's own timeout is ten minutes.
            Assert.True(await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(60))) == waiting, "the cancelled wait went on");
            Assert.IsAssignableFrom<OperationCanceledException>(waiting.Exception?.InnerException);
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1));
        }

        [Fact]
        public void A_token_cancelled_before_the_wait_stops_it_before_it_starts()
        {
            string target = _folder.File("a.json");
            using var held = ExclusiveFileLock.Acquire(target, TimeSpan.FromSeconds(1));
            using var cancel = new CancellationTokenSource();
            cancel.Cancel();

            Assert.Throws<OperationCanceledException>(() => ExclusiveFileLock.Acquire(target, TimeSpan.FromMinutes(5), cancel.Token));
        }

        [Fact]
        public void Threads_incrementing_one_counter_under_the_lock_lose_nothing()
        {
            string counter = _folder.File("counter.json");
            File.WriteAllText(counter, "{\"count\":0}");
            var updater = new LockedFileUpdater();
            const int threads = 8, increments = 50;
            int inside = 0, mostInside = 0, asking = 0, contended = 0;
            var took = new ConcurrentDictionary<int, int>();

            // Real threads released together; each holds the window between read and write open for a millisecond,
            // so that without the lock two of them would read the same count (and the count would come out short).
            using var start = new Barrier(threads);
            Thread[] workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
            {
                start.SignalAndWait();
                for (int i = 0; i < increments; i++)
                {
                    Interlocked.Increment(ref asking);
                    updater.Update(counter, bytes =>
                    {
                        Interlocked.Decrement(ref asking);
                        int now = Interlocked.Increment(ref inside);
                        InterlockedMax(ref mostInside, now);
                        took.AddOrUpdate(Environment.CurrentManagedThreadId, 1, (_, n) => n + 1);
                        string text = Encoding.UTF8.GetString(bytes!);
                        int n = int.Parse(text.Substring(9, text.Length - 10));
                        Thread.Sleep(1);
                        if (Volatile.Read(ref asking) > 0)
                        {
                            Interlocked.Increment(ref contended); // Others waited on the lock while this thread held it.
                        }

                        Interlocked.Decrement(ref inside);
                        return Encoding.UTF8.GetBytes($"{{\"count\":{n + 1}}}");
                    }, new AtomicWriteOptions { Durability = Durability.Atomic }, TimeSpan.FromMinutes(5));
                }
            })).ToArray();
            Array.ForEach(workers, w => w.Start());
            Array.ForEach(workers, w => w.Join());

            Assert.Equal($"{{\"count\":{threads * increments}}}", File.ReadAllText(counter));
            Assert.Equal(1, mostInside);
            Assert.Equal(threads, took.Count);
            Assert.All(took.Values, n => Assert.Equal(increments, n));
            Assert.True(contended > 0, "no thread ever waited for the lock while another held it");
        }

        [Fact]
        public async Task A_second_thread_cannot_enter_while_the_first_holds_the_lock()
        {
            // Deterministic: the first holder waits inside until the second has asked for the lock, then gives the
            // second five seconds to get in. With the lock it cannot; without it, it would at once.
            string path = _folder.File("pair.json");
            File.WriteAllText(path, "{}");
            var updater = new LockedFileUpdater();
            using var firstInside = new ManualResetEventSlim();
            using var secondAsking = new ManualResetEventSlim();
            using var secondInside = new ManualResetEventSlim();
            bool overlapped = false;

            Task first = Task.Run(() => updater.Update(path, bytes =>
            {
                firstInside.Set();
                secondAsking.Wait(TimeSpan.FromMinutes(1));
                overlapped = secondInside.Wait(TimeSpan.FromSeconds(5));
                return null;
            }));
            Task second = Task.Run(() =>
            {
                firstInside.Wait(TimeSpan.FromMinutes(1));
                secondAsking.Set();
                updater.Update(path, bytes => { secondInside.Set(); return null; }, lockTimeout: TimeSpan.FromMinutes(2));
            });

            await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromMinutes(3));
            Assert.False(overlapped, "the second thread ran its update while the first held the lock");
            Assert.True(secondInside.IsSet, "the second thread never got the lock after the first let it go");
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }

        [Fact]
        public void An_update_sees_null_for_a_missing_file_and_a_null_result_changes_nothing()
        {
            string path = _folder.File("new.json");
            byte[]? seen = new byte[] { 1 };

            LockedUpdateResult nothing = new LockedFileUpdater().Update(path, current => { seen = current; return null; });

            Assert.Null(seen);
            Assert.False(nothing.Changed);
            Assert.False(File.Exists(path));

            File.WriteAllText(path, "{}");
            DateTime before = File.GetLastWriteTimeUtc(path);
            new LockedFileUpdater().Update(path, current => null);
            Assert.Equal(before, File.GetLastWriteTimeUtc(path));
        }

        [Fact]
        public void An_update_can_create_missing_folders()
        {
            string path = Path.Combine(_folder.Path, "a", "b", "c.json");

            LockedUpdateResult result = new LockedFileUpdater().Update(path, _ => Encoding.UTF8.GetBytes("{}"), new AtomicWriteOptions { CreateDirectories = true });

            Assert.True(result.Changed);
            Assert.Equal("{}", File.ReadAllText(path));
        }
    }
}
