namespace Grains.Monitoring.Storage.Relational;

/// <summary>Times as integer microseconds since the Unix epoch (UTC), as the relational stores keep them.</summary>
public static class StoreTime
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    public static long ToMicroseconds(DateTimeOffset value) => (value.UtcTicks - DateTime.UnixEpoch.Ticks) / TicksPerMicrosecond;

    public static DateTimeOffset FromMicroseconds(long value) => new(DateTime.UnixEpoch.Ticks + (value * TicksPerMicrosecond), TimeSpan.Zero);

    /// <summary><paramref name="value"/> at the store's precision, so a created record equals its later reads.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value) => FromMicroseconds(ToMicroseconds(value));

    /// <summary>The unix seconds of the start of <paramref name="time"/>'s hour.</summary>
    public static long HourStart(DateTimeOffset time)
    {
        var seconds = time.ToUnixTimeSeconds();
        return seconds - (((seconds % 3600) + 3600) % 3600);
    }
}
