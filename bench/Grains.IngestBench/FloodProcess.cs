using System.Diagnostics;
using System.Globalization;

namespace Grains.IngestBench;

/// <summary>
/// A flood in a process of its own (<c>Grains.IngestBench flood seconds connections url…</c>), so the
/// flooding tenant's requests do not queue the steady tenant's sender in the same thread pool: the steady
/// tenant's latency then measures the server, and the two clients share the cores as two real clients do.
/// </summary>
public static class FloodProcess
{
    /// <summary>The child's side: floods, then prints one line <c>flood ok limited other seconds</c>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = double.Parse(args[0], CultureInfo.InvariantCulture);
        var connections = int.Parse(args[1], CultureInfo.InvariantCulture);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var result = await Load.RunFloodAsync(args[2..], new Corpus(1000, seed: 11), connections, stop.Token);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"flood {result.Ok} {result.Limited} {result.Other} {result.Duration.TotalSeconds}"));
        return 0;
    }

    /// <summary>Starts a flood of <paramref name="duration"/> in a child process; the task completes with what it got back.</summary>
    public static async Task<FloodResult> StartAsync(IReadOnlyList<string> urls, int connections, TimeSpan duration)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { typeof(FloodProcess).Assembly.Location, "flood", duration.TotalSeconds.ToString(CultureInfo.InvariantCulture), connections.ToString(CultureInfo.InvariantCulture) }.Concat(urls))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the flood process");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = (await output).Split('\n').FirstOrDefault(l => l.StartsWith("flood ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"the flood process exited with {process.ExitCode} without a result: {await errors}");
        var parts = line.Split(' ');
        return new FloodResult(
            long.Parse(parts[1], CultureInfo.InvariantCulture),
            long.Parse(parts[2], CultureInfo.InvariantCulture),
            long.Parse(parts[3], CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(parts[4], CultureInfo.InvariantCulture)));
    }
}
