using Grains.Monitoring.Outcomes;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Stats;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Grains.Server.Tests.Outcomes;

public sealed class StatsQueryParserTests
{
    // 2026-12-04T10:25:00Z: mid-hour, so the ends of a period are partial intervals.
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 25, 0, TimeSpan.Zero);
    private static readonly long NowHour = new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    private static StatsQuery Parse(string query) => StatsQueryParser.Parse(new QueryCollection(QueryHelpers.ParseQuery(query)), Now);

    [Fact]
    public void The_stats_page_query_parses_with_Sentrys_defaults_and_expansions()
    {
        var query = Parse("?field=sum(quantity)&field=sum(times_seen)&groupBy=outcome&groupBy=reason&category=error&statsPeriod=24h&project=-1&outcome=accepted&outcome=rate_limited&reason=spike_protection");

        Assert.Equal(["sum(quantity)", "sum(times_seen)"], query.Fields);
        Assert.Equal(["outcome", "reason"], query.GroupBy);
        Assert.Equal((NowHour - (24 * 3600), NowHour + 3600, 3600, 25), (query.Start, query.End, query.Interval, query.IntervalCount));
        Assert.Equal(["default", "error", "security"], query.Categories!.Order(StringComparer.Ordinal));
        Assert.Equal([OutcomeKind.Accepted, OutcomeKind.RateLimited], query.Outcomes!.Order());
        Assert.Equal("smart_rate_limit", query.Reason);
        Assert.Null(query.Projects);
    }

    [Theory]
    [InlineData("interval=1d&statsPeriod=14d", 86_400, 15)]
    [InlineData("interval=6h&statsPeriod=2d", 21_600, 9)]
    [InlineData("interval=1h&statsPeriod=90m", 3_600, 3)]
    [InlineData("interval=3600&statsPeriod=1w", 3_600, 169)]
    [InlineData("interval=1h&start=2026-12-03T00:00:00Z&end=2026-12-03T05:30:00Z", 3_600, 6)]
    [InlineData("interval=1d&statsPeriod=90d", 86_400, 91)]
    public void Intervals_cover_the_period_from_its_rounded_down_start_to_its_rounded_up_end(string range, int interval, int count)
    {
        var query = Parse($"?field=sum(quantity)&groupBy=category&{range}");
        Assert.Equal((interval, count), (query.Interval, query.IntervalCount));
        Assert.Equal(0, query.Start % interval);
    }

    [Fact]
    public void Projects_are_ids_and_minus_one_is_all()
    {
        Assert.Equal([3L, 5L], Parse("?field=sum(quantity)&groupBy=category&statsPeriod=1d&project=3&project=5").Projects);
        Assert.Equal([3L, 5L], Parse("?field=sum(quantity)&groupBy=category&statsPeriod=1d&project=3,5").Projects);
        Assert.Null(Parse("?field=sum(quantity)&groupBy=category&statsPeriod=1d&project=3&project=-1").Projects);
    }

    [Theory]
    [InlineData("groupBy=category&statsPeriod=1d", "At least one \"field\" is required.")]
    [InlineData("field=count()&groupBy=category&statsPeriod=1d", "Invalid field: \"count()\"")]
    [InlineData("field=sum(quantity)&groupBy=key_id&statsPeriod=1d", "Invalid groupBy: \"key_id\"")]
    [InlineData("field=sum(quantity)&groupBy=release&statsPeriod=1d", "Invalid groupBy: \"release\"")]
    [InlineData("field=sum(quantity)&statsPeriod=1d", "Query must have category as groupby or filter")]
    [InlineData("field=sum(quantity)&groupBy=outcome&statsPeriod=1d", "Query must have category as groupby or filter")]
    [InlineData("field=sum(quantity)&category=errors&statsPeriod=1d", "Invalid category: \"errors\"")]
    [InlineData("field=sum(quantity)&category=attachment&category=error&statsPeriod=1d", "if filtering by attachment no other category may be present")]
    [InlineData("field=sum(quantity)&groupBy=category&outcome=dropped&statsPeriod=1d", "Invalid outcome: \"dropped\"")]
    [InlineData("field=sum(quantity)&groupBy=category&project=web&statsPeriod=1d", "Invalid project parameter. Values must be numbers.")]
    [InlineData("field=sum(quantity)&groupBy=category&project=0&statsPeriod=1d", "Invalid project parameter. Values must be numbers.")]
    [InlineData("field=sum(quantity)&groupBy=category&project=-2&statsPeriod=1d", "Invalid project parameter. Values must be numbers.")]
    [InlineData("field=sum(quantity)&groupBy=category&statsPeriod=abc", "Invalid statsPeriod: \"abc\"")]
    [InlineData("field=sum(quantity)&groupBy=category&statsPeriod=0h", "Invalid statsPeriod: \"0h\"")]
    [InlineData("field=sum(quantity)&groupBy=category&statsPeriod=-1d", "Invalid statsPeriod: \"-1d\"")]
    [InlineData("field=sum(quantity)&groupBy=category&statsPeriod=1y", "Invalid statsPeriod: \"1y\"")]
    [InlineData("field=sum(quantity)&groupBy=category&statsPeriod=99999999999999d", "Invalid statsPeriod: \"99999999999999d\"")]
    [InlineData("field=sum(quantity)&groupBy=category&statsPeriod=91d&interval=1d", "Invalid date range. Please try a more recent date range.")]
    [InlineData("field=sum(quantity)&groupBy=category", "Your interval and date range would create too many results. Use a larger interval, or a smaller date range.")]
    [InlineData("field=sum(quantity)&groupBy=category&statsPeriod=60d", "Your interval and date range would create too many results. Use a larger interval, or a smaller date range.")]
    [InlineData("field=sum(quantity)&groupBy=category&statsPeriod=1d&interval=5m", "The interval has to be a multiple of the minimum interval of one hour.")]
    [InlineData("field=sum(quantity)&groupBy=category&statsPeriod=1d&interval=90m", "The interval has to be a multiple of the minimum interval of one hour.")]
    [InlineData("field=sum(quantity)&groupBy=category&statsPeriod=1d&interval=2d", "The interval has to be less than one day.")]
    [InlineData("field=sum(quantity)&groupBy=category&statsPeriod=1d&interval=5h", "The interval should divide one day without a remainder.")]
    [InlineData("field=sum(quantity)&groupBy=category&statsPeriod=1d&interval=hourly", "Invalid interval: \"hourly\"")]
    [InlineData("field=sum(quantity)&groupBy=category&start=2026-12-03T00:00:00Z", "start and end are both required.")]
    [InlineData("field=sum(quantity)&groupBy=category&end=2026-12-03T00:00:00Z", "start and end are both required.")]
    [InlineData("field=sum(quantity)&groupBy=category&start=2026-12-03T00:00:00Z&end=2026-12-02T00:00:00Z", "start must be before end.")]
    [InlineData("field=sum(quantity)&groupBy=category&start=yesterday&end=2026-12-02T00:00:00Z", "start is not a valid ISO 8601 date: \"yesterday\"")]
    [InlineData("field=sum(quantity)&groupBy=category&start=2026-12-01T00:00:00Z&end=soon", "end is not a valid ISO 8601 date: \"soon\"")]
    [InlineData("field=sum(quantity)&groupBy=category&start=2020-01-01T00:00:00Z&end=2020-01-02T00:00:00Z", "Invalid date range. Please try a more recent date range.")]
    [InlineData("field=sum(quantity)&groupBy=category&statsPeriod=1d&start=2026-12-03T00:00:00Z&end=2026-12-04T00:00:00Z", "statsPeriod cannot be combined with start and end.")]
    [InlineData("field=sum(quantity)&groupBy=category&statsPeriod=1d&key_id=4", "Filtering by key_id is not supported.")]
    public void Malformed_queries_are_400_with_Sentrys_reason(string query, string detail)
    {
        var error = Assert.Throws<ApiException>(() => Parse("?" + query));
        Assert.Equal((400, detail), (error.StatusCode, error.Detail));
    }
}
