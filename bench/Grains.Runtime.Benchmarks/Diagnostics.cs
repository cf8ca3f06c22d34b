using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;

namespace Grains.Runtime.Benchmarks;

/// <summary>
/// Sums the runtime's and the SQLite provider's own metrics during a run (group-commit sizes, commit
/// time, write operations by kind) plus process CPU time: the breakdown that says where time goes.
/// </summary>
internal sealed class Diagnostics : IDisposable
{
    private static readonly HashSet<string> Instruments =
    [
        "grains.stream.commit_size",
        "grains.sqlite.transaction.size",
        "grains.sqlite.commit.duration",
        "grains.sqlite.operations",
    ];

    private readonly ConcurrentDictionary<string, Sum> _sums = new();
    private readonly MeterListener _listener = new();
    private readonly TimeSpan _cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly double _writerCpuStart = WriterThreadCpuSeconds();

    public Diagnostics()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (Instruments.Contains(instrument.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public string Describe()
    {
        var wall = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - _cpuStart).TotalSeconds;
        var text = new StringBuilder();
        text.Append($"process CPU {cpu:0.0} s in {wall:0.0} s ({cpu / wall:0.00} of {Environment.ProcessorCount} cores)");
        if (_sums.TryGetValue("grains.sqlite.transaction.size", out var tx) && tx.Count > 0)
        {
            var writerCpu = WriterThreadCpuSeconds() - _writerCpuStart;
            text.Append($"; SQLite: {tx.Count:N0} transactions, {tx.Total / tx.Count:0.0} operations each, writer thread CPU {writerCpu:0.00} s ({writerCpu / tx.Total * 1e6:0.0} µs per operation)");
            if (_sums.TryGetValue("grains.sqlite.commit.duration", out var d))
            {
                text.Append($", writer busy in transactions {d.Total:0.00} s ({d.Total / wall:P0} of the time), {d.Total / d.Count * 1000:0.00} ms per transaction");
            }
        }

        var kinds = _sums.Where(p => p.Key.StartsWith("op:", StringComparison.Ordinal)).OrderByDescending(p => p.Value.Total).Select(p => $"{p.Key[3..]} {p.Value.Total:N0}");
        if (kinds.Any())
        {
            text.Append($"; operations: {string.Join(", ", kinds)}");
        }

        if (_sums.TryGetValue("grains.stream.commit_size", out var commits) && commits.Count > 0)
        {
            text.Append($"; stream group commits: {commits.Count:N0}, {commits.Total / commits.Count:0.0} items each");
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>CPU time (user + system) of the SQLite writer thread, from /proc (0 where unavailable).</summary>
    private static double WriterThreadCpuSeconds()
    {
        try
        {
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith("Grains SQLite", StringComparison.Ordinal))
                {
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime, stime in clock ticks (USER_HZ 100)
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = instrument.Name;
        if (key == "grains.sqlite.operations")
        {
            key = "op:" + Kind(tags);
        }

        var sum = _sums.GetOrAdd(key, static _ => new Sum());
        lock (sum)
        {
            sum.Count++;
            sum.Total += value;
        }
    }

    private static string Kind(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "grains.sqlite.operation")
            {
                return tag.Value as string ?? "?";
            }
        }

        return "?";
    }

    private sealed class Sum
    {
        public long Count;
        public double Total;
    }
}
