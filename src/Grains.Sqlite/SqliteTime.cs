namespace Grains.Sqlite;

/// <summary>
/// Time columns are integers in microseconds (since the Unix epoch, UTC, for instants): exact in
/// every SQL engine and the same precision as PostgreSQL's <c>timestamptz</c> and <c>interval</c>.
/// </summary>
public static class SqliteTime
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    public static long ToMicroseconds(DateTimeOffset value) => (value.UtcTicks - DateTime.UnixEpoch.Ticks) / TicksPerMicrosecond;

    public static DateTimeOffset FromMicroseconds(long value) => new(DateTime.UnixEpoch.Ticks + (value * TicksPerMicrosecond), TimeSpan.Zero);

    public static long ToMicroseconds(TimeSpan value) => value.Ticks / TicksPerMicrosecond;

    public static TimeSpan DurationFromMicroseconds(long value) => TimeSpan.FromTicks(value * TicksPerMicrosecond);
}
