using System.Text.Json.Nodes;
using Grains.Monitoring.Outcomes;
using Grains.Server.Api.Infrastructure;

namespace Grains.Server.Api.Stats;

/// <summary>
/// Builds <c>stats_v2</c>'s answer from hourly outcome rows (Sentry's <c>massage_outcomes_result</c>):
/// one group per distinct value of the grouped dimensions that has data, with totals and (unless
/// grouped by project) a series per interval.
/// </summary>
public static class StatsResponse
{
    /// <summary>
    /// The response for <paramref name="query"/> over <paramref name="rows"/> (of the organization, any
    /// hours), counting only <paramref name="projects"/> (the organization's projects the query selects).
    /// </summary>
    public static JsonObject Build(StatsQuery query, IEnumerable<OutcomeRow> rows, IReadOnlySet<long> projects)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(projects);
        var withSeries = !query.GroupBy.Contains("project");
        var count = query.IntervalCount;
        var groups = new SortedDictionary<string, Group>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.HourStart < query.Start || row.HourStart >= query.End || !projects.Contains(row.ProjectId)
                || (query.Categories is { } categories && !categories.Contains(row.Category))
                || (query.Outcomes is { } outcomes && !outcomes.Contains(row.Outcome))
                || (query.Reason is { } reason && reason != row.Reason))
            {
                continue;
            }

            var by = By(query, row);
            var key = by.ToJsonString();
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = new Group(by, query.Fields.Count, withSeries ? count : 0);
            }

            var index = (int)((row.HourStart - query.Start) / query.Interval);
            for (var f = 0; f < query.Fields.Count; f++)
            {
                var value = query.Fields[f] == StatsQueryParser.QuantityField ? row.Quantity : row.TimesSeen;
                group.Totals[f] += value;
                if (withSeries)
                {
                    group.Series[f][index] += value;
                }
            }
        }

        var result = new JsonObject
        {
            ["start"] = ApiTime.Format(DateTimeOffset.FromUnixTimeSeconds(query.Start)),
            ["end"] = ApiTime.Format(DateTimeOffset.FromUnixTimeSeconds(query.End)),
        };
        if (withSeries)
        {
            var intervals = new JsonArray();
            for (var i = 0; i < count; i++)
            {
                intervals.Add(ApiTime.Format(DateTimeOffset.FromUnixTimeSeconds(query.Start + ((long)i * query.Interval))));
            }

            result["intervals"] = intervals;
        }

        var list = new JsonArray();
        foreach (var group in groups.Values)
        {
            var totals = new JsonObject();
            var series = new JsonObject();
            for (var f = 0; f < query.Fields.Count; f++)
            {
                totals[query.Fields[f]] = group.Totals[f];
                if (withSeries)
                {
                    series[query.Fields[f]] = new JsonArray([.. group.Series[f].Select(v => (JsonNode)v)]);
                }
            }

            var json = new JsonObject { ["by"] = group.By, ["totals"] = totals };
            if (withSeries)
            {
                json["series"] = series;
            }

            list.Add(json);
        }

        result["groups"] = list;
        return result;
    }

    private static JsonObject By(StatsQuery query, OutcomeRow row)
    {
        var by = new JsonObject();
        foreach (var dimension in query.GroupBy)
        {
            by[dimension] = dimension switch
            {
                "outcome" => OutcomeNames.Of(row.Outcome),
                "category" => StatsQueryParser.CategoryName(row.Category),
                "reason" => StatsQueryParser.ReasonName(row.Reason),
                _ => row.ProjectId,
            };
        }

        return by;
    }

    private sealed class Group(JsonObject by, int fields, int intervals)
    {
        public JsonObject By { get; } = by;

        public long[] Totals { get; } = new long[fields];

        public long[][] Series { get; } = [.. Enumerable.Range(0, fields).Select(_ => new long[intervals])];
    }
}
