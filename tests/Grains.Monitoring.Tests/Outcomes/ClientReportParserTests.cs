using System.Text;
using Grains.Ingestion.Envelopes;
using Grains.Monitoring.Outcomes;

namespace Grains.Monitoring.Tests.Outcomes;

public sealed class ClientReportParserTests
{
    private static readonly DateTimeOffset Received = new(2026, 11, 22, 4, 0, 0, TimeSpan.Zero);

    private static (IReadOnlyList<ClientReportOutcome> Outcomes, DateTimeOffset Timestamp) Parse(string json) =>
        ClientReportParser.Parse(Encoding.UTF8.GetBytes(json), Received);

    [Fact]
    public void Discarded_rate_limited_and_filtered_entries_become_outcomes_summed_per_kind_reason_and_category()
    {
        var (outcomes, at) = Parse("""
            {"timestamp":1795319485.78,
             "discarded_events":[{"reason":"ratelimit_backoff","category":"error","quantity":2},
                                 {"reason":"ratelimit_backoff","category":"error","quantity":3},
                                 {"reason":"queue_overflow","category":"transaction","quantity":1},
                                 {"reason":"sample_rate","category":"span","quantity":7}],
             "rate_limited_events":[{"reason":"key_quota","category":"error","quantity":4}],
             "filtered_events":[{"reason":"web-crawlers","category":"error","quantity":1}],
             "filtered_sampling_events":[{"reason":"Sampled:1000","category":"transaction","quantity":9}]}
            """);

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_795_319_485_780), at);
        Assert.Equal(
            [
                new ClientReportOutcome(OutcomeKind.Filtered, "web-crawlers", DataCategory.Error, 1),
                new ClientReportOutcome(OutcomeKind.RateLimited, "key_quota", DataCategory.Error, 4),
                new ClientReportOutcome(OutcomeKind.ClientDiscard, "queue_overflow", DataCategory.Transaction, 1),
                new ClientReportOutcome(OutcomeKind.ClientDiscard, "ratelimit_backoff", DataCategory.Error, 5),
                new ClientReportOutcome(OutcomeKind.ClientDiscard, "sample_rate", DataCategory.Span, 7),
            ],
            outcomes.OrderBy(o => o.Outcome).ThenBy(o => o.Reason, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{"discarded_events":[{"reason":"x","category":"error","quantity":1}]}""", 1)] // no timestamp: the time of receipt
    [InlineData("""{"timestamp":"2026-11-22T03:59:00Z","discarded_events":[{"reason":"x","category":"error","quantity":1}]}""", 1)] // RFC 3339
    [InlineData("""{"timestamp":"2026-11-22T04:00:59Z","discarded_events":[{"reason":"x","category":"error","quantity":1}]}""", 1)] // 59 s ahead
    [InlineData("""{"timestamp":"2026-11-22T04:01:01Z","discarded_events":[{"reason":"x","category":"error","quantity":1}]}""", 0)] // over 60 s ahead
    [InlineData("""{"timestamp":"2026-08-01T00:00:00Z","discarded_events":[{"reason":"x","category":"error","quantity":1}]}""", 0)] // over 90 days old
    [InlineData("""{"timestamp":"yesterday","discarded_events":[{"reason":"x","category":"error","quantity":1}]}""", 0)] // unreadable: too old, as Relay
    [InlineData("""{"timestamp":true,"discarded_events":[{"reason":"x","category":"error","quantity":1}]}""", 0)]
    [InlineData("""{"timestamp":1e300,"discarded_events":[{"reason":"x","category":"error","quantity":1}]}""", 0)]
    [InlineData("""{"discarded_events":[{"reason":"x","category":"no_such_category","quantity":1}]}""", 0)] // unknown category
    [InlineData("""{"discarded_events":[{"reason":"x","category":"error","quantity":0}]}""", 0)]
    [InlineData("""{"discarded_events":[{"reason":"x","category":"error","quantity":-3}]}""", 0)]
    [InlineData("""{"discarded_events":[{"reason":"x","category":"error","quantity":1.5}]}""", 0)]
    [InlineData("""{"discarded_events":[{"reason":"x","category":"error","quantity":"1"}]}""", 0)]
    [InlineData("""{"discarded_events":[{"reason":"x","category":"error","quantity":99999999999}]}""", 0)] // over u32
    [InlineData("""{"discarded_events":[{"category":"error","quantity":1}]}""", 0)] // no reason
    [InlineData("""{"discarded_events":[{"reason":7,"category":"error","quantity":1}]}""", 0)]
    [InlineData("""{"discarded_events":[{"reason":"x","quantity":1}]}""", 0)] // no category
    [InlineData("""{"discarded_events":[1, "x", null, []]}""", 0)]
    [InlineData("""{"discarded_events":{"reason":"x","category":"error","quantity":1}}""", 0)] // not a list
    [InlineData("""{"discarded_events":[]}""", 0)]
    [InlineData("""[]""", 0)]
    [InlineData("""null""", 0)]
    [InlineData("""{"discarded_events":[{"reason":"x","category":"error","quantity":1}]""", 0)] // truncated JSON
    [InlineData("""not json""", 0)]
    [InlineData("", 0)]
    public void Malformed_reports_and_entries_are_skipped(string json, int expected)
    {
        Assert.Equal(expected, Parse(json).Outcomes.Count);
    }

    [Fact]
    public void A_reason_over_200_characters_is_skipped_as_Relay_does()
    {
        var json = $$"""{"discarded_events":[{"reason":"{{new string('r', 200)}}","category":"error","quantity":1},{"reason":"{{new string('r', 201)}}","category":"error","quantity":1}]}""";
        Assert.Equal(200, Assert.Single(Parse(json).Outcomes).Reason.Length);
    }
}
