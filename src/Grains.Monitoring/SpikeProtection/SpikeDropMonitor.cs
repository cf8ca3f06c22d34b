using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grains.Monitoring.Outcomes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grains.Monitoring.SpikeProtection;

/// <summary>
/// Makes spike protection's drops visible to the project's owners: the <see cref="IOutcomeRecorder"/> the
/// edge calls (it forwards every outcome to the aggregator) counts <c>smart_rate_limit</c> drops in the
/// metric <c>grains.spike_protection.dropped</c> and logs the first drop of each project, category and
/// hour (a structured warning with the threshold). The drops themselves are outcomes, read back through
/// <c>stats_v2</c> with <c>reason=spike_protection</c>.
/// </summary>
public sealed class SpikeDropMonitor(OutcomeAggregator aggregator, SpikeThresholds thresholds, ILogger<SpikeDropMonitor>? logger = null) : IOutcomeRecorder
{
    private static readonly Meter Meter = new(OutcomeDiagnostics.Name);

    private static readonly Counter<long> Dropped = Meter.CreateCounter<long>(
        "grains.spike_protection.dropped", unit: "{item}", description: "Items spike protection dropped (reason smart_rate_limit), by data category.");

    private readonly ILogger _logger = logger ?? NullLogger<SpikeDropMonitor>.Instance;
    private readonly ConcurrentDictionary<(long ProjectId, string Category, long HourStart), byte> _logged = new();

    /// <inheritdoc />
    public void Record(in OutcomeEvent outcome)
    {
        aggregator.Record(in outcome);
        if (outcome.Outcome != OutcomeKind.RateLimited || outcome.Reason != SpikeThresholds.Reason || outcome.Category.Name is null)
        {
            return;
        }

        Dropped.Add(outcome.Quantity, new KeyValuePair<string, object?>("grains.category", outcome.Category.Name));
        var seconds = outcome.Timestamp.ToUnixTimeSeconds();
        var hour = seconds - (((seconds % 3600) + 3600) % 3600);
        if (_logged.TryAdd((outcome.ProjectId, outcome.Category.Name, hour), 0))
        {
            SpikeProtectionLog.Dropping(_logger, outcome.Category.Name, outcome.ProjectId, outcome.OrganizationId,
                thresholds.HourlyThreshold(outcome.OrganizationId, outcome.ProjectId, outcome.Category), DateTimeOffset.FromUnixTimeSeconds(hour));
            Activity.Current?.AddEvent(new ActivityEvent("spike_protection.dropping"));

            // Keep only the current hours: older entries can no longer be hit.
            foreach (var key in _logged.Keys)
            {
                if (key.HourStart < hour - 3600)
                {
                    _logged.TryRemove(key, out _);
                }
            }
        }
    }
}
