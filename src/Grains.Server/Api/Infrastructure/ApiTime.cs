using System.Globalization;

namespace Grains.Server.Api.Infrastructure;

/// <summary>Sentry's timestamps: ISO 8601 in UTC with <c>Z</c>, microseconds only when there are any (Python's <c>isoformat</c>).</summary>
internal static class ApiTime
{
    public static string Format(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        return utc.Ticks % TimeSpan.TicksPerSecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
    }
}
