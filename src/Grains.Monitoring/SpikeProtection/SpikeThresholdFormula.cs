namespace Grains.Monitoring.SpikeProtection;

/// <summary>
/// Sentry's published spike-protection threshold (reference <c>sentry-grouping-alerts.md</c> §4.3), for
/// one project and data category and the hour about to start, from that project's own last week:
/// <code>
/// threshold  = max(floor, weighted_average(last 168 hours) × multiplier)
/// floor      = max(minimum, 3 × org_monthly_quota / (720 × min(projects, 5)))
/// multiplier = clamp(5 × variation(last 168 hours), 3, 6)
/// </code>
/// </summary>
/// <remarks>
/// <para>Where the published text leaves a choice, this is what Grains does, and why:</para>
/// <list type="bullet">
/// <item>An hour counts its accepted items plus the items spike protection dropped, the drops weighed by
/// <c>0.1^(age/24 h)</c>: 10 % after a day and 1 % after two, the docs' "about 10 % after 24 h, about 0
/// after 2 days". A sustained rise thus becomes the new baseline within hours, a one-hour burst fades.</item>
/// <item>"Seasonality-weighted": the same hour of the day (24, 48, … hours back) weighs
/// <see cref="SameHourOfDayWeight"/>, the same hour of the week (168 hours back) <see cref="SameHourOfWeekWeight"/>,
/// every other hour 1; a daily cron at 03:00 raises 03:00's threshold more than the others'.</item>
/// <item>"5 × stddev(last week)" is read as five times the coefficient of variation (standard deviation
/// over mean) of the week's hourly counts: a standard deviation in items would make the [3, 6] clamp
/// meaningless (any project above a few items an hour would sit at 6). A steady project gets 3, an
/// irregular one up to 6.</item>
/// <item>Hours with no outcome count as 0; the caller decides how much history a project needs first.</item>
/// </list>
/// </remarks>
public static class SpikeThresholdFormula
{
    /// <summary>The hours looked back at: a week.</summary>
    public const int WindowHours = 168;

    public const double MinMultiplier = 3;
    public const double MaxMultiplier = 6;
    public const double VariationFactor = 5;
    public const double SameHourOfDayWeight = 3;
    public const double SameHourOfWeekWeight = 6;

    /// <summary>Hours in 30 days: the floor is the rate that would spend three times the monthly quota.</summary>
    public const int HoursPerMonth = 720;

    /// <summary>The weight of items dropped <paramref name="ageHours"/> hours ago in the baseline.</summary>
    public static double DropWeight(int ageHours) => Math.Pow(0.1, ageHours / 24.0);

    /// <summary>
    /// The floor: at least <paramref name="minimum"/>, and with an organization quota, the hourly rate that
    /// would spend three times its monthly amount (shared among at most 5 projects).
    /// </summary>
    public static long Floor(long minimum, long? organizationMonthlyQuota, int projects) =>
        organizationMonthlyQuota is { } quota && quota > 0
            ? Math.Max(minimum, (long)Math.Ceiling(3.0 * quota / (HoursPerMonth * (double)Math.Clamp(projects, 1, 5))))
            : minimum;

    /// <summary>
    /// The threshold for the hour after <paramref name="history"/>, whose last element is the hour just
    /// ended (age 1) and first element the oldest (at most <see cref="WindowHours"/> are read).
    /// </summary>
    public static long Threshold(ReadOnlySpan<HourCount> history, long floor)
    {
        if (history.Length > WindowHours)
        {
            history = history[^WindowHours..];
        }

        if (history.IsEmpty)
        {
            return floor;
        }

        double weighted = 0, weights = 0, sum = 0, sumSquares = 0;
        for (var i = 0; i < history.Length; i++)
        {
            var age = history.Length - i;
            var count = history[i].Accepted + (history[i].Dropped * DropWeight(age));
            var weight = age % WindowHours == 0 ? SameHourOfWeekWeight : age % 24 == 0 ? SameHourOfDayWeight : 1;
            weighted += weight * count;
            weights += weight;
            sum += count;
            sumSquares += count * count;
        }

        // Hours before the project's first outcome within the window count as 0, as hours without outcomes do.
        var n = (double)WindowHours;
        var mean = sum / n;
        var variance = Math.Max(0, (sumSquares / n) - (mean * mean));
        var variation = mean > 0 ? Math.Sqrt(variance) / mean : 0;
        var multiplier = Math.Clamp(VariationFactor * variation, MinMultiplier, MaxMultiplier);
        var missing = WindowHours - history.Length;
        var average = weighted / (weights + MissingWeight(history.Length, missing));
        var projection = (long)Math.Ceiling(average * multiplier);
        return Math.Max(floor, projection);
    }

    /// <summary>The weights of the <paramref name="missing"/> oldest hours of the window (ages past <paramref name="present"/>), counted as zeros.</summary>
    private static double MissingWeight(int present, int missing)
    {
        double weight = 0;
        for (var age = present + 1; age <= present + missing; age++)
        {
            weight += age % WindowHours == 0 ? SameHourOfWeekWeight : age % 24 == 0 ? SameHourOfDayWeight : 1;
        }

        return weight;
    }
}
