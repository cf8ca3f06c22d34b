using System.Runtime.InteropServices;

namespace Grains.IngestBench;

/// <summary>
/// CPU time of the calling thread in nanoseconds (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>): the edge bench
/// times steps of a few µs, far below the 10 ms resolution of <see cref="ThreadCpu"/>; falls back to it
/// where the call is not available.
/// </summary>
public static class ThreadClock
{
    private const int ClockThreadCpuTime = 3;

    /// <summary>User + system CPU seconds of the calling thread.</summary>
    public static double Seconds()
    {
        try
        {
            return NativeMethods.clock_gettime(ClockThreadCpuTime, out var now) == 0 ? now.Seconds + (now.Nanoseconds / 1e9) : ThreadCpu.Seconds();
        }
        catch (DllNotFoundException)
        {
            return ThreadCpu.Seconds();
        }
        catch (EntryPointNotFoundException)
        {
            return ThreadCpu.Seconds();
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = false)]
        public static extern int clock_gettime(int clockId, out TimeSpec time);
    }
}
