namespace Grains.Monitoring.Sqlite;

/// <summary>Times as integer microseconds since the Unix epoch (UTC), as the runtime's tables keep them.</summary>
internal static class StoreTime
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    public static long ToMicroseconds(DateTimeOffset value) => (value.UtcTicks - DateTime.UnixEpoch.Ticks) / TicksPerMicrosecond;

    public static DateTimeOffset FromMicroseconds(long value) => new(DateTime.UnixEpoch.Ticks + (value * TicksPerMicrosecond), TimeSpan.Zero);
}
