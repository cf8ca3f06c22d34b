namespace Grains.Runtime.Cluster;

/// <summary>
/// Cluster mode settings (PostgreSQL membership and partition leases, silo-to-silo calls).
/// Plain properties with documented public defaults; bound from <c>Grains:Cluster</c>.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>The port of the silo-to-silo HTTP/2 endpoint. Default 11111. It is never the public port.</summary>
    public int InternalPort { get; set; } = 11111;

    /// <summary>The host other silos use to reach this one (a pod IP in Kubernetes). Default <c>127.0.0.1</c>.</summary>
    public string AdvertisedHost { get; set; } = "127.0.0.1";

    /// <summary>The shared secret every silo-to-silo call carries. Required; never logged.</summary>
    public string Secret { get; set; } = "";

    /// <summary>
    /// How often a silo refreshes membership and ownership, renews its heartbeat, checks its lock
    /// session and rebalances. Default 1 s. A <c>kill -9</c>ed silo's session ends at once, so its
    /// partitions are taken over within about two intervals (well inside the 10 s objective).
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A silo whose heartbeat is older than this is treated as dead even if its database session
    /// lingers (a half-open connection, a hung process). Default 10 s.
    /// </summary>
    public TimeSpan SiloDeadAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The address other silos call: <c>AdvertisedHost:InternalPort</c>.</summary>
    public string AdvertisedAddress => AdvertisedHost.Contains(':') && !AdvertisedHost.StartsWith('[')
        ? $"[{AdvertisedHost}]:{InternalPort}"
        : $"{AdvertisedHost}:{InternalPort}";
}
