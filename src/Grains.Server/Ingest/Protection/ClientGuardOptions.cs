namespace Grains.Server.Ingest.Protection;

/// <summary>
/// The per-client-address guard in front of authentication (<c>Grains:Ingest:ClientGuard</c>): a token
/// bucket per client address (<see cref="ClientAddressOptions"/>) in each silo's memory; a request
/// without a token is answered 429 with <c>Retry-After</c> before its key is looked up or its body read.
/// </summary>
public sealed class ClientGuardOptions
{
    public const string Section = "Grains:Ingest:ClientGuard";

    /// <summary>Default 1,000 requests per second per address: far above what SDKs on one machine (or an office behind one NAT address) send, so only a runaway loop or a flood meets it.</summary>
    public const double DefaultRequestsPerSecond = 1000;

    /// <summary>Default 2,000: two seconds of the rate may arrive at once (SDKs flush queues in bursts).</summary>
    public const double DefaultBurst = 2000;

    /// <summary>Default 100,000 addresses tracked per silo (about 10 MB) before idle ones are swept.</summary>
    public const int DefaultMaxTrackedAddresses = 100_000;

    /// <summary>On by default.</summary>
    public bool Enabled { get; set; } = true;

    public double RequestsPerSecond { get; set; } = DefaultRequestsPerSecond;

    public double Burst { get; set; } = DefaultBurst;

    /// <summary>
    /// Loopback (<c>127.0.0.0/8</c>, <c>::1</c>) is never limited by default: the machine itself (a local
    /// relay, a sidecar, the benchmarks) is trusted. False guards loopback too.
    /// </summary>
    public bool ExemptLoopback { get; set; } = true;

    /// <summary>More addresses or CIDR networks never limited (monitoring probes, a partner's relay); none by default.</summary>
    public List<string> ExemptNetworks { get; set; } = [];

    public int MaxTrackedAddresses { get; set; } = DefaultMaxTrackedAddresses;
}
