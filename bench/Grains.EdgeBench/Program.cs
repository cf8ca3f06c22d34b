using System.Globalization;
using System.Text;
using Grains.EdgeBench;
using Grains.IngestBench;

// Edge cost benchmark (issue 8): the time one event takes through normalize, group, facts and encode
// as the number of keys in extra, contexts or request.data grows. Linear cost means ×4 keys ≈ ×4 time.
// Usage: [--keys 10000,40000,160000] [--runs 3] [--no-gc] [--write]   (--write: bench/results/edge-cost.md)
// --no-gc: each run inside a no-GC region, to tell the edge's own work from the collector's.
var keys = new[] { 10_000, 40_000, 160_000 };
var runs = 3;
var write = false;
var noGc = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--keys":
            keys = args[++i].Split(',').Select(k => int.Parse(k, CultureInfo.InvariantCulture)).ToArray();
            break;
        case "--runs":
            runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--write":
            write = true;
            break;
        case "--no-gc":
            noGc = true;
            break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}");
            return 2;
    }
}

var machine = Machine.Describe();
Console.WriteLine(machine);
var steps = new EdgeSteps();

// Warm-up: JIT and tiering of every path, on a small event of each shape.
foreach (var field in WideEvent.Fields)
{
    for (var i = 0; i < 20; i++)
    {
        await steps.RunAsync(WideEvent.Build(field, 1_000));
    }
}

var table = new StringBuilder();
table.AppendLine("| field | keys | event KiB | min ms of " + runs + " | µs per key | × previous row | " + string.Join(" | ", steps.Names.Select(n => n + " ms")) + " |");
table.AppendLine("|---|---:|---:|---:|---:|---:|" + string.Concat(steps.Names.Select(_ => "---:|")));
foreach (var field in WideEvent.Fields)
{
    double? previous = null;
    foreach (var n in keys)
    {
        var raw = WideEvent.Build(field, n);
        var best = double.MaxValue;
        double[] bestSteps = [];
        for (var r = 0; r < runs; r++)
        {
            GC.Collect();
            var inRegion = noGc && GC.TryStartNoGCRegion(240L * 1024 * 1024);
            var times = await steps.RunAsync(raw);
            if (inRegion && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }

            if (times.Sum() < best)
            {
                best = times.Sum();
                bestSteps = times;
            }
        }

        var growth = previous is { } p ? (best / p).ToString("0.0", CultureInfo.InvariantCulture) : "";
        var row = string.Create(CultureInfo.InvariantCulture, $"| {field} | {n:N0} | {raw.Length / 1024.0:N0} | {best:N1} | {best * 1000 / n:0.00} | {growth} | {string.Join(" | ", bestSteps.Select(t => t.ToString("N1", CultureInfo.InvariantCulture)))} |");
        Console.WriteLine(row);
        table.AppendLine(row);
        previous = best;
    }
}

if (write)
{
    var path = Path.Combine(FindRoot(), "bench", "results", "edge-cost.md");
    var text = new StringBuilder();
    text.AppendLine("# Edge cost per event size (issue 8)");
    text.AppendLine();
    text.AppendLine("Written by `dotnet bench/Grains.EdgeBench/bin/Release/net10.0/Grains.EdgeBench.dll --write` (project `bench/Grains.EdgeBench`, Release).");
    text.AppendLine("One JavaScript-SDK-shaped error event whose `extra`, `contexts` or `request.data` has the given number of keys runs");
    text.AppendLine("through the CPU steps of the ingest pipeline in process (normalize, group, facts, encode); the time is the minimum of the runs.");
    text.AppendLine("Linear cost shows as ×4 per row (4× the keys); quadratic cost as ×16.");
    text.AppendLine();
    text.AppendLine(machine);
    text.AppendLine();
    text.Append(table);
    File.WriteAllText(path, text.ToString());
    Console.WriteLine($"wrote {path}");
}

return 0;

static string FindRoot()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Grains.sln")))
    {
        directory = directory.Parent;
    }

    return directory?.FullName ?? throw new InvalidOperationException("Grains.sln not found above the benchmark");
}
