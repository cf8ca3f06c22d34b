using System.Text.Json.Nodes;
using Grains.Monitoring.Outcomes;

namespace Grains.Server.Api.Stats;

/// <summary>
/// Answers a parsed <c>stats_v2</c> query: the one code path of the stats API
/// (<see cref="StatsEndpoints"/>) and the dashboard's stats page. Before reading, this silo's
/// <see cref="OutcomeAggregator"/> writes what it holds, so a single server answers with every outcome
/// it has counted; other silos' last few seconds (their flush interval) may not be in yet.
/// </summary>
public sealed partial class StatsReader(OutcomeAggregator aggregator, IOutcomeStore store, ILogger<StatsReader> logger)
{
    /// <summary><c>stats_v2</c>'s response for <paramref name="query"/> over the organization's <paramref name="projects"/>.</summary>
    public async Task<JsonObject> ReadAsync(StatsQuery query, long organizationId, IReadOnlySet<long> projects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        try
        {
            await aggregator.FlushAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The counts stay pending for the flusher; answer with what is stored.
            LogFlushFailed(logger, exception);
        }

        var rows = await store.ReadAsync(organizationId, query.Start, query.End, cancellationToken);
        return StatsResponse.Build(query, rows, projects);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing outcomes before a stats query failed")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
