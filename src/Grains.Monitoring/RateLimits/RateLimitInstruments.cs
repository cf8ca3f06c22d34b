using System.Diagnostics.Metrics;

namespace Grains.Monitoring.RateLimits;

/// <summary>The rate-limit buckets' metrics, on the meter <c>Grains.RateLimits</c>.</summary>
public static class RateLimitInstruments
{
    /// <summary>The meter's name (the edge's admission reports on it too).</summary>
    public const string MeterName = "Grains.RateLimits";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Items of budget the buckets granted to edges.</summary>
    public static readonly Counter<long> Grants = Meter.CreateCounter<long>("grains.ratelimit.granted", "{item}", "Budget granted by rate-limit buckets to edge leases.");

    /// <summary>Lease requests sent by edges to buckets.</summary>
    public static readonly Counter<long> LeaseCalls = Meter.CreateCounter<long>("grains.ratelimit.lease_calls", "{call}", "Lease requests from an edge to a rate-limit bucket grain.");

    /// <summary>Items rejected at the edge, tagged with the reason code.</summary>
    public static readonly Counter<long> Rejected = Meter.CreateCounter<long>("grains.ratelimit.rejected", "{item}", "Items rejected by a rate limit at the edge.");
}
