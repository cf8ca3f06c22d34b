namespace Grains.Server.Ingest.Protection;

/// <summary>
/// Which peers may say who the client is (<c>Grains:Ingest:TrustedProxies</c>): the client address of
/// a request (used by the per-address guard, the IP inbound filter and <c>{{auto}}</c> user IPs) is the
/// first <c>X-Forwarded-For</c> hop when the TCP peer is inside one of these networks, else the peer.
/// </summary>
/// <remarks>
/// Default: none, so <c>X-Forwarded-For</c> is ignored: any client can write that header, and trusting
/// it from everyone would let a flood pick its own address per request. Behind a load balancer or an
/// ingress, list its addresses (e.g. <c>10.0.0.0/8</c>). Relay, which always runs behind Sentry's load
/// balancer, takes the first hop unconditionally; the first hop is what the original client claimed,
/// so a proxy that appends to a client-sent header passes the client's claim on.
/// </remarks>
public sealed class ClientAddressOptions
{
    public const string Section = "Grains:Ingest";

    /// <summary>Addresses or CIDR networks of trusted proxies; empty by default.</summary>
    public List<string> TrustedProxies { get; set; } = [];
}
