namespace Grains.Runtime.Postgres;

/// <summary>
/// Reminder times are integers in microseconds (since the Unix epoch, UTC, for instants), as in the
/// SQLite provider: exact, and the precision of PostgreSQL's <c>timestamptz</c>.
/// </summary>
internal static class PostgresTime
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    public static long ToMicroseconds(DateTimeOffset value) => (value.UtcTicks - DateTime.UnixEpoch.Ticks) / TicksPerMicrosecond;

    public static DateTimeOffset FromMicroseconds(long value) => new(DateTime.UnixEpoch.Ticks + (value * TicksPerMicrosecond), TimeSpan.Zero);

    public static long ToMicroseconds(TimeSpan value) => value.Ticks / TicksPerMicrosecond;

    public static TimeSpan DurationFromMicroseconds(long value) => TimeSpan.FromTicks(value * TicksPerMicrosecond);
}
