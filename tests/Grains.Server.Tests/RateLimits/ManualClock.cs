namespace Grains.Server.Tests.RateLimits;

/// <summary>A clock the test moves by hand (whole seconds matter to the windows).</summary>
internal sealed class ManualClock(long unixSeconds) : TimeProvider
{
    public long Now { get; set; } = unixSeconds;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(Now);
}
