using System.Globalization;

namespace Grains.Server.Dashboard.Shared;

/// <summary>
/// How the dashboard writes a time: relative to now in words ("3 min ago", "in 2 hr"), and absolute in
/// UTC for the tooltip and the machine-readable <c>datetime</c> attribute. Invariant culture, so every
/// user and every test sees the same text.
/// </summary>
public static class RelativeTimeText
{
    /// <summary>Closer to now than this is "just now" (clock skew between the SDK and the silo is usually seconds).</summary>
    public static readonly TimeSpan JustNow = TimeSpan.FromSeconds(10);

    /// <summary>The time relative to <paramref name="now"/>, in the largest whole unit (rounded down, as Sentry's lists do).</summary>
    public static string Relative(DateTimeOffset value, DateTimeOffset now)
    {
        var delta = now - value;
        var future = delta < TimeSpan.Zero;
        var span = future ? delta.Negate() : delta;
        if (span < JustNow)
        {
            return "just now";
        }

        var amount = span switch
        {
            { TotalMinutes: < 1 } => Unit((long)span.TotalSeconds, "sec", "sec"),
            { TotalHours: < 1 } => Unit((long)span.TotalMinutes, "min", "min"),
            { TotalDays: < 1 } => Unit((long)span.TotalHours, "hr", "hr"),
            { TotalDays: < 30 } => Unit((long)span.TotalDays, "day", "days"),
            { TotalDays: < 365 } => Unit((long)(span.TotalDays / 30), "month", "months"),
            _ => Unit((long)(span.TotalDays / 365), "year", "years"),
        };
        return future ? $"in {amount}" : $"{amount} ago";
    }

    /// <summary>The absolute time in UTC to the second (<c>2026-12-04 17:31:01 UTC</c>).</summary>
    public static string Absolute(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The <c>datetime</c> attribute: ISO 8601 in UTC.</summary>
    public static string Machine(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Unit(long count, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? one : many)}");
}
