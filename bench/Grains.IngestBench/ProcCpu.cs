using System.Globalization;

namespace Grains.IngestBench;

/// <summary>CPU time of processes and of the whole machine, from <c>/proc</c> (Linux only).</summary>
public static class ProcCpu
{
    // USER_HZ: the unit of the times in /proc/<pid>/stat and /proc/stat (100 on every Linux the bench runs on).
    private const double TicksPerSecond = 100.0;

    /// <summary>User + system CPU seconds of <paramref name="pid"/> (0 when it is gone).</summary>
    public static double ProcessSeconds(int pid, bool withReapedChildren = false)
    {
        var fields = StatFields(pid);
        if (fields is null)
        {
            return 0;
        }

        // After the ")" of the command: field 3 is index 0, so utime (14) is index 11, stime 12, cutime 13, cstime 14.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        if (withReapedChildren)
        {
            ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        }

        return ticks / TicksPerSecond;
    }

    /// <summary>
    /// CPU seconds of a process tree rooted at <paramref name="rootPid"/> one level deep (PostgreSQL:
    /// the postmaster and its backends), counting children that already exited through the root's
    /// cutime/cstime.
    /// </summary>
    public static double TreeSeconds(int rootPid)
    {
        var total = ProcessSeconds(rootPid, withReapedChildren: true);
        foreach (var pid in ChildrenOf(rootPid))
        {
            total += ProcessSeconds(pid);
        }

        return total;
    }

    public static IReadOnlyList<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && StatFields(pid) is { } fields
                && int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
            {
                children.Add(pid);
            }
        }

        return children;
    }

    /// <summary>Busy and total CPU seconds of the machine, all cores (from the <c>cpu</c> line of /proc/stat).</summary>
    public static (double Busy, double Total) Machine()
    {
        var line = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal
        var idle = values[3] + values[4];
        var total = values.Sum();
        return ((total - idle) / TicksPerSecond, total / TicksPerSecond);
    }

    /// <summary>The 1-minute load average.</summary>
    public static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    private static string[]? StatFields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var close = text.LastIndexOf(')');
            return text[(close + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
