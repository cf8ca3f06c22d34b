using System.Runtime.InteropServices;

namespace Grains.AppHost.Cluster;

/// <summary>The few POSIX calls the launcher needs.</summary>
internal static class Native
{
    /// <summary>Whether this process runs as root (never on Windows).</summary>
    public static bool IsRoot => !OperatingSystem.IsWindows() && GetEffectiveUserId() == 0;

    /// <summary>Sends SIGTERM to a process (POSIX only).</summary>
    public static void Terminate(int pid) => _ = Kill(pid, 15);

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();
}
