namespace Grains.Server.Ingest.Protection;

/// <summary>
/// Kestrel's limits against slow or oversized requests (<c>Grains:Kestrel</c>), applied to every
/// listener. Request bodies are bounded by the ingest edge's own limits (Relay's sizes, 413), not here.
/// </summary>
public sealed class KestrelLimitsOptions
{
    public const string Section = "Grains:Kestrel";

    /// <summary>Default 10,000 open connections per silo: a connection flood is refused at accept instead of exhausting memory; far above what load balancers and SDK fleets hold open.</summary>
    public long? MaxConcurrentConnections { get; set; } = 10_000;

    /// <summary>Default 32 KiB of request headers (Kestrel's): SDK requests send well under 2 KiB.</summary>
    public int MaxRequestHeadersTotalSize { get; set; } = 32 * 1024;

    /// <summary>Default 100 headers (Kestrel's).</summary>
    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>Default 8 KiB request line (Kestrel's): store-endpoint GETs carry the event in the query, so not less.</summary>
    public int MaxRequestLineSize { get; set; } = 8 * 1024;

    /// <summary>Default 15 s to send all headers (Kestrel: 30 s): a slowloris client holds a connection half as long.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Default 130 s idle keep-alive (Kestrel's): longer than common load-balancer idle timeouts, so they close first.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>Default 240 bytes/s minimum body rate (Kestrel's) after <see cref="MinRequestBodyDataRateGracePeriod"/>: a client trickling a body is cut off; 0 turns the check off.</summary>
    public double MinRequestBodyDataRate { get; set; } = 240;

    /// <summary>Default 5 s grace before the minimum body rate applies (Kestrel's).</summary>
    public TimeSpan MinRequestBodyDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);
}
