using System.Runtime.InteropServices;

namespace Grains.AppHost.Postgres;

/// <summary>The one POSIX call the AppHost needs.</summary>
internal static class Native
{
    /// <summary>Whether this process runs as root (never on Windows).</summary>
    public static bool IsRoot => !OperatingSystem.IsWindows() && GetEffectiveUserId() == 0;

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();
}
