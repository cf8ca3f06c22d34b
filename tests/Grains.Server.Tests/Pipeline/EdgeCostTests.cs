using System.Diagnostics;
using System.Text;
using Grains.Ingestion.Normalization;
using Grains.Monitoring.Grouping;
using Grains.Monitoring.Pipeline;
using Grains.Monitoring.Pipeline.Steps;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;
using Grains.Server.Ingest;

namespace Grains.Server.Tests.Pipeline;

/// <summary>
/// Guards the linear cost of the edge against wide events (bench/Grains.EdgeBench has the numbers).
/// Not a timing test: it compares the same work at n and 4n keys in the same process, interleaved,
/// minimum of several runs, so a slow or loaded machine slows both sides alike. Linear cost gives a
/// ratio near 4, the quadratic cost this guards against gave 13–23; the bound is 10.
/// </summary>
public sealed class EdgeCostTests
{
    private const int Keys = 5_000;
    private const int Runs = 7;

    // Enough for one run at 4 × Keys (about 60 MB allocated) with room for the rest of the process.
    private const long NoGcBytes = 200L * 1024 * 1024;

    private static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly IEventPipelineStep[] _steps = [new NormalizeEventStep(new EventNormalizer()), new ComputeGroupingStep(), new DeriveFactsStep(), new EncodeStreamItemStep()];

    private readonly ResolvedKey _key = new(
        new ProjectKeyRecord { ProjectId = 1, Name = "Default", PublicKey = new string('a', 32), SecretKey = new string('b', 32), DateCreated = Created },
        new ProjectRecord { Id = 1, OrganizationId = 1, Slug = "web", Name = "Web", Platform = "javascript", DateCreated = Created },
        GroupingConfig.Default);

    [Theory]
    [InlineData("extra")]
    [InlineData("contexts")]
    [InlineData("request.data")]
    public async Task Four_times_the_keys_cost_less_than_ten_times_the_time(string field)
    {
        var small = WideEvent(field, Keys);
        var large = WideEvent(field, 4 * Keys);
        await RunAsync(small);
        await RunAsync(large);

        var bestSmall = double.MaxValue;
        var bestLarge = double.MaxValue;
        for (var i = 0; i < Runs; i++)
        {
            bestSmall = Math.Min(bestSmall, await TimeAsync(small));
            bestLarge = Math.Min(bestLarge, await TimeAsync(large));
        }

        var ratio = bestLarge / bestSmall;
        Assert.True(ratio < 10, $"{field}: {4 * Keys} keys took {bestLarge:0.0} ms, {Keys} keys {bestSmall:0.0} ms: ×{ratio:0.0} for ×4 the keys");
    }

    private async Task<double> TimeAsync(byte[] raw)
    {
        // Without collections in the measured run: the cost of a collection grows with everything
        // live in the process (other tests too), which is noise here, not the edge's own work.
        GC.Collect();
        var noGc = GC.TryStartNoGCRegion(NoGcBytes);
        try
        {
            var started = Stopwatch.GetTimestamp();
            await RunAsync(raw);
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        finally
        {
            if (noGc && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }
        }
    }

    private async Task RunAsync(byte[] raw)
    {
        var context = new EventContext(_key, raw, new NormalizationContext(DateTimeOffset.UtcNow));
        foreach (var step in _steps)
        {
            await step.RunAsync(context, CancellationToken.None);
        }

        Assert.NotNull(context.StreamPayload);
    }

    private static byte[] WideEvent(string field, int keys)
    {
        var wide = new StringBuilder("{");
        for (var i = 0; i < keys; i++)
        {
            wide.Append(i > 0 ? "," : "").Append("\"key").Append(i).Append("\":").Append(field == "contexts" ? $"{{\"value\":\"v{i}\"}}" : $"\"value {i}\"");
        }

        wide.Append('}');
        var bag = field switch
        {
            "extra" => $"\"extra\":{wide}",
            "contexts" => $"\"contexts\":{wide}",
            _ => $"\"request\":{{\"url\":\"https://shop.example.com/\",\"data\":{wide}}}",
        };
        return Encoding.UTF8.GetBytes("{\"platform\":\"javascript\",\"exception\":{\"values\":[{\"type\":\"TypeError\",\"value\":\"wide\"}]}," + bag + "}");
    }
}
