using System;
using System.IO;
using System.Runtime.InteropServices;
using AgentState.IO;

namespace AgentState.Platform
{
    /// <summary>
    /// The one seam between the engine and the operating system: everything that differs between
    /// Windows and Unix (links, permissions, the replacing rename, folder sync) lives behind it.
    /// </summary>
    internal abstract class NativePlatform
    {
        public static NativePlatform Current { get; } =
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? new WindowsPlatform() : (NativePlatform)new UnixPlatform();

        public abstract bool IsWindows { get; }

        /// <summary>The target of a symbolic link, or null when <paramref name="path"/> is not a link.</summary>
        public abstract string? ReadLink(string path);

        public abstract FileMetadata? GetMetadata(string path);

        public abstract void CopyPermissions(FileStream file, FileMetadata source);

        public abstract void Replace(string source, string destination);

        public abstract void FlushDirectory(string directory);

        /// <summary>True when a process with this id exists on this machine.</summary>
        public abstract bool ProcessExists(int processId);

        /// <summary>
        /// Takes an exclusive lock on <paramref name="lockPath"/> (creating the file) that the OS drops when
        /// the process dies, and writes <paramref name="owner"/> into it; null when another holder has it.
        /// </summary>
        public abstract IDisposable? TryLockExclusive(string lockPath, string owner);

        /// <summary>Flushes a file's data (not necessarily its timestamps) to stable storage: fdatasync where there is one.</summary>
        public abstract void FlushData(FileStream file);

        /// <summary>What the current holder wrote into a lock file, read without taking the lock; null if unreadable.</summary>
        public abstract string? ReadLockOwner(string lockPath);

        /// <summary>
        /// Opens a file the module keeps for itself without following a link at its name, then checks on the open
        /// handle that it is a plain file with no other hard link, so that a link swapped in after any earlier check
        /// is caught as well. Only modes that cannot truncate before the check: CreateNew, Open, OpenOrCreate.
        /// </summary>
        /// <exception cref="UnsafePathException">Something other than a plain file is there; it was not changed.</exception>
        /// <exception cref="FileNotFoundException">Nothing is there and <paramref name="mode"/> does not create.</exception>
        public abstract FileStream OpenPlainFile(string path, FileMode mode, FileAccess access, FileShare share, string role);

        /// <summary>
        /// Opens a folder the module keeps for itself, refusing a link, and pins it: moves into the returned folder go
        /// into that very folder even if its name is swapped for a link afterwards.
        /// </summary>
        /// <exception cref="UnsafePathException">A link or a file is there.</exception>
        /// <exception cref="DirectoryNotFoundException">Nothing is there.</exception>
        public abstract PinnedFolder OpenPlainFolder(string path, string role);

        /// <summary>
        /// How many entries a folder holds, counted without making a string of each name; null where the platform has no
        /// such call, or the folder cannot be opened as a plain folder (a link is not followed), so that the caller lists it.
        /// </summary>
        public virtual long? CountEntries(string folder) => null;

        /// <summary>
        /// Kills a process and every process it started. The runtime's Kill(entireProcessTree) where it has one (.NET Core
        /// 3.0 and later, so PowerShell 7); else the platform's own way (see the overrides), else the process alone.
        /// </summary>
        public virtual void KillProcessTree(System.Diagnostics.Process process)
        {
            if (!TryKillTreeByRuntime(process))
            {
                KillAlone(process);
            }
        }

        /// <summary>Process.Kill(true), found by reflection because netstandard2.0 does not declare it.</summary>
        protected static bool TryKillTreeByRuntime(System.Diagnostics.Process process)
        {
            System.Reflection.MethodInfo? kill = typeof(System.Diagnostics.Process).GetMethod("Kill", new[] { typeof(bool) });
            if (kill == null)
            {
                return false;
            }

            try
            {
                kill.Invoke(process, new object[] { true });
            }
            catch (System.Reflection.TargetInvocationException ex) when (ex.InnerException is InvalidOperationException)
            {
                // It had exited already.
            }

            return true;
        }

        /// <summary>Kills the process alone; one that has exited already is no error.</summary>
        protected static void KillAlone(System.Diagnostics.Process process)
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
            }
            catch (System.ComponentModel.Win32Exception) when (process.HasExited)
            {
            }
        }

        /// <summary>"a symbolic link to '…'" when <paramref name="path"/> itself is a link (not followed); else null.</summary>
        public string? DescribeLink(string path)
        {
            string? target = ReadLink(path);
            return target == null ? null : $"a symbolic link to '{target}'";
        }

        /// <summary>True when something, a dangling link included, exists at <paramref name="path"/> (the link is not followed).</summary>
        public bool EntryExists(string path) => ReadLink(path) != null || File.Exists(path) || Directory.Exists(path);
    }
}
