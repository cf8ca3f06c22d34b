using Grains.Monitoring.Outcomes;
using Grains.Monitoring.SpikeProtection;

namespace Grains.Monitoring.Tests.SpikeProtection;

public sealed class SpikeThresholdsTests
{
    private const long Now = 1_795_320_000; // an hour start
    private static readonly SpikeProtectionOptions Options = new();

    private static IEnumerable<OutcomeRow> Hours(long project, string category, int fromAge, int toAge, long perHour, OutcomeKind outcome = OutcomeKind.Accepted, string? reason = null) =>
        Enumerable.Range(fromAge, toAge - fromAge + 1).Select(age => new OutcomeRow(1, project, null, Now - (age * 3600L), category, outcome, reason, perHour, 1));

    [Fact]
    public void Thresholds_come_from_each_project_and_category_own_week()
    {
        var rows = Hours(1, "error", 1, 168, 1_000)
            .Concat(Hours(1, "transaction", 1, 168, 10_000))
            .Concat(Hours(2, "error", 1, 168, 100));

        var thresholds = SpikeThresholds.Compute(rows, Now, Options);

        Assert.Equal(3_000, thresholds[(1, "error")]);
        Assert.Equal(30_000, thresholds[(1, "transaction")]);
        Assert.Equal(500, thresholds[(2, "error")]); // the floor
    }

    [Fact]
    public void Default_and_security_count_as_error_and_other_outcomes_do_not_count()
    {
        var rows = Hours(1, "error", 1, 168, 600)
            .Concat(Hours(1, "default", 1, 168, 300))
            .Concat(Hours(1, "security", 1, 168, 100))
            .Concat(Hours(1, "error", 1, 168, 9_999, OutcomeKind.RateLimited, "key_quota"))
            .Concat(Hours(1, "error", 1, 168, 9_999, OutcomeKind.Filtered, "web-crawlers"))
            .Concat(Hours(1, "error", 1, 168, 9_999, OutcomeKind.ClientDiscard, "sample_rate"));

        Assert.Equal(3_000, SpikeThresholds.Compute(rows, Now, Options)[(1, "error")]);
    }

    [Fact]
    public void Spike_drops_count_decayed_and_rows_outside_the_week_do_not()
    {
        var rows = Hours(1, "error", 1, 168, 1_000)
            .Concat(Hours(1, "error", 1, 1, 47_000, OutcomeKind.RateLimited, SpikeThresholds.Reason))
            .Concat(Hours(1, "error", 1, 1, 2_000))
            .Concat(Hours(1, "error", 169, 300, 1_000_000)) // older than the week
            .Concat(Hours(1, "error", 0, 0, 1_000_000)); // the current hour itself

        // The same week as the formula test's spike: 3,000 accepted and 47,000 dropped an hour ago.
        Assert.Equal(7_450, SpikeThresholds.Compute(rows, Now, Options)[(1, "error")]);
    }

    [Fact]
    public void A_project_without_a_day_of_history_has_no_threshold()
    {
        var rows = Hours(1, "error", 1, 23, 1_000).Concat(Hours(2, "error", 1, 24, 1_000)).Concat(Hours(2, "span", 1, 2, 5));

        var thresholds = SpikeThresholds.Compute(rows, Now, Options);

        Assert.False(thresholds.ContainsKey((1, "error")));
        Assert.True(thresholds.ContainsKey((2, "error")));
        Assert.True(thresholds.ContainsKey((2, "span"))); // the project's history counts, not the category's
        Assert.Single(SpikeThresholds.Compute(Hours(1, "error", 1, 23, 1_000), Now, new SpikeProtectionOptions { MinimumHistory = TimeSpan.FromHours(23) }));
    }
}
