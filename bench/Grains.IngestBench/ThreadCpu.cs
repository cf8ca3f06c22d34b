using System.Globalization;

namespace Grains.IngestBench;

/// <summary>
/// CPU time of the calling thread, from <c>/proc/thread-self/stat</c> (Linux only, 10 ms resolution): unlike
/// wall time it does not count time the thread spent preempted on a shared machine; a timed loop of a few
/// seconds keeps the resolution error below 1 %.
/// </summary>
public static class ThreadCpu
{
    // USER_HZ, as in ProcCpu.
    private const double TicksPerSecond = 100.0;

    /// <summary>User + system CPU seconds of the calling thread (NaN where /proc is missing).</summary>
    public static double Seconds()
    {
        try
        {
            var stat = File.ReadAllText("/proc/thread-self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After the ")" of the command: field 3 is index 0, so utime (14) is index 11 and stime (15) index 12.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }
}
