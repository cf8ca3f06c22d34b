using Grains.Ingestion.Normalization;
using Grains.Monitoring.Grouping;
using Grains.Monitoring.Pipeline;
using Grains.Monitoring.Pipeline.Steps;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;
using Grains.Server.Ingest;

namespace Grains.EdgeBench;

/// <summary>
/// The CPU part of the ingest pipeline, in process: normalize, group, facts, encode (the issue lookup
/// and the durable append are storage, measured by the ingest benchmark).
/// </summary>
public sealed class EdgeSteps
{
    private static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly IEventPipelineStep[] _steps = [new NormalizeEventStep(new EventNormalizer()), new ComputeGroupingStep(), new DeriveFactsStep(), new EncodeStreamItemStep()];

    private readonly ResolvedKey _key = new(
        new ProjectKeyRecord { ProjectId = 1, Name = "Default", PublicKey = new string('a', 32), SecretKey = new string('b', 32), DateCreated = Created },
        new ProjectRecord { Id = 1, OrganizationId = 1, Slug = "web", Name = "Web", Platform = "javascript", DateCreated = Created },
        GroupingConfig.Default);

    /// <summary>The step names, in order.</summary>
    public IEnumerable<string> Names => _steps.Select(s => s.Name);

    /// <summary>Runs the steps on one raw event; returns each step's time in milliseconds.</summary>
    public async Task<double[]> RunAsync(byte[] rawEvent)
    {
        var context = new EventContext(_key, rawEvent, new NormalizationContext(DateTimeOffset.UtcNow));
        var times = new double[_steps.Length];
        for (var i = 0; i < _steps.Length; i++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await _steps[i].RunAsync(context, CancellationToken.None);
            times[i] = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        return times;
    }
}
