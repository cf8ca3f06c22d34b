namespace Grains.IngestBench;

/// <summary>Waits for a quiet machine before a measured run (the cores are shared with other work).</summary>
public static class Quiet
{
    /// <summary>
    /// Waits until the 1-minute load average is below <see cref="BenchOptions.MaxLoad"/>, at most
    /// <see cref="BenchOptions.QuietWait"/>; returns the load average it measured last (reported beside the figures).
    /// </summary>
    public static async Task<double> WaitAsync(BenchOptions options)
    {
        var deadline = DateTime.UtcNow + options.QuietWait;
        double load;
        while ((load = ProcCpu.LoadAverage()) >= options.MaxLoad && DateTime.UtcNow < deadline)
        {
            Console.WriteLine($"load average {load:0.00} >= {options.MaxLoad:0.0}, waiting");
            await Task.Delay(TimeSpan.FromSeconds(15));
        }

        Console.WriteLine($"load average {load:0.00}: measuring");
        return load;
    }
}
