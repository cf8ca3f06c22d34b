using Grains.Monitoring.SpikeProtection;

namespace Grains.Monitoring.Tests.SpikeProtection;

/// <summary>The formula on synthetic weeks; expected values worked out by hand in the comments.</summary>
public sealed class SpikeThresholdFormulaTests
{
    private const long Floor = 500;

    private static HourCount[] Week(long perHour) => [.. Enumerable.Repeat(new HourCount(perHour, 0), 168)];

    [Fact]
    public void A_steady_project_gets_three_times_its_rate()
    {
        // Every hour 1,000: average 1,000, no variation → multiplier 3.
        Assert.Equal(3_000, SpikeThresholdFormula.Threshold(Week(1_000), Floor));
    }

    [Fact]
    public void A_small_project_gets_the_floor()
    {
        // 100/h × 3 = 300, under the floor.
        Assert.Equal(500, SpikeThresholdFormula.Threshold(Week(100), Floor));
        Assert.Equal(500, SpikeThresholdFormula.Threshold([], Floor));
        Assert.Equal(500, SpikeThresholdFormula.Threshold(Week(0), Floor));
    }

    [Fact]
    public void The_floor_follows_the_organization_quota_shared_by_at_most_five_projects()
    {
        Assert.Equal(500, SpikeThresholdFormula.Floor(500, null, 3));
        Assert.Equal(1_250, SpikeThresholdFormula.Floor(500, 600_000, 2)); // 3 × 600,000 / (720 × 2)
        Assert.Equal(500, SpikeThresholdFormula.Floor(500, 600_000, 9)); // 3 × 600,000 / (720 × 5) = 500
        Assert.Equal(2_500, SpikeThresholdFormula.Floor(500, 600_000, 1));
    }

    [Fact]
    public void After_a_one_hour_spike_the_next_threshold_rises_but_stays_far_below_the_spike()
    {
        // 167 hours of 1,000, then an hour of 50,000 of which 3,000 were accepted and 47,000 dropped.
        var history = Week(1_000);
        history[^1] = new HourCount(3_000, 47_000);

        // The dropped hour counts 3,000 + 47,000 × 0.1^(1/24) = 45,700.4. Weighted average: (184 × 1,000
        // + 45,700.4) / 185 = 1,241.6; its variation (stddev 3,438.6 / mean 1,266.1 = 2.72) × 5 clamps to 6.
        Assert.Equal(7_450, SpikeThresholdFormula.Threshold(history, Floor));
    }

    [Fact]
    public void A_sustained_new_baseline_is_admitted_within_hours_while_a_spike_hour_is_clipped()
    {
        // A week at 1,000/h, then 10,000/h for good: each hour is limited to the threshold computed from
        // the hours before it, the excess dropped (and counted, decaying, in the baseline).
        var history = new List<HourCount>(Week(1_000));
        var thresholds = new List<long>();
        for (var hour = 0; hour < 48; hour++)
        {
            var threshold = SpikeThresholdFormula.Threshold(history.ToArray(), Floor);
            thresholds.Add(threshold);
            var accepted = Math.Min(10_000, threshold);
            history.Add(new HourCount(accepted, 10_000 - accepted));
        }

        // Each clipped hour adds about 9,700 (3,000 accepted + 7,000 dropped × 0.9) to a 185-weight average
        // at multiplier 6: the limit climbs by a few hundred an hour (the docs show 2,083 → 2,873 → 5,452 → 7,628).
        Assert.Equal(3_000, thresholds[0]); // the first hour of the new rate is clipped to 3 × 1,000
        Assert.Equal([3_000L, 3_202L, 4_349L, 5_150L], thresholds.Take(4)); // the multiplier goes from 3 to 6 as the week varies
        Assert.True(thresholds.Zip(thresholds.Skip(1)).Take(17).All(p => p.Second > p.First)); // rising every hour
        var admitted = thresholds.FindIndex(t => t >= 10_000);
        Assert.Equal(18, admitted); // from then on the new rate is the baseline: nothing more is dropped
        Assert.All(thresholds.Skip(admitted), t => Assert.True(t >= 10_000));
    }

    [Fact]
    public void A_bursty_project_gets_a_higher_threshold_at_its_burst_hour_but_may_be_clipped()
    {
        // A daily job: 5,000 at one hour of the day, nothing otherwise. For the job's hour, the 7 bursts
        // are 24 h apart: six weigh 3 and the one a week back 6: (6 × 3 + 6) × 5,000 / 185 = 648.6;
        // variation = stddev 998.8 / mean 208.3 = 4.8, × 5 → clamped to 6: 3,892 < 5,000 (Sentry advises
        // turning spike protection off for cron-like projects).
        var history = new HourCount[168];
        for (var age = 24; age <= 168; age += 24)
        {
            history[^age] = new HourCount(5_000, 0);
        }

        Assert.Equal(3_892, SpikeThresholdFormula.Threshold(history, Floor));

        // An hour later six bursts are in the week (25, 49, … 145 hours back), none at this hour of day:
        // 6 × 5,000 / 185 = 162.2, × 6 = 973.
        var later = history.Skip(1).Append(new HourCount(0, 0)).ToArray();
        Assert.Equal(973, SpikeThresholdFormula.Threshold(later, Floor));
    }

    [Fact]
    public void Drops_decay_out_of_the_baseline_in_two_days()
    {
        Assert.Equal(1.0, SpikeThresholdFormula.DropWeight(0), 6);
        Assert.Equal(0.1, SpikeThresholdFormula.DropWeight(24), 6);
        Assert.Equal(0.01, SpikeThresholdFormula.DropWeight(48), 6);
    }

    [Fact]
    public void A_short_history_counts_the_missing_hours_as_zero()
    {
        // One day at 1,000/h: the week's other hours are 0 → average over 185 weights, high variation.
        var day = Enumerable.Repeat(new HourCount(1_000, 0), 24).ToArray();
        var threshold = SpikeThresholdFormula.Threshold(day, Floor);
        Assert.Equal(SpikeThresholdFormula.Threshold([.. new HourCount[144], .. day], Floor), threshold);
    }
}
