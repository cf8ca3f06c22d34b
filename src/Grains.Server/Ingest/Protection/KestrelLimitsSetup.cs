using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Grains.Server.Ingest.Protection;

/// <summary>Applies <see cref="KestrelLimitsOptions"/> to Kestrel.</summary>
public sealed class KestrelLimitsSetup(IOptions<KestrelLimitsOptions> options) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        var value = options.Value;
        var limits = kestrel.Limits;
        limits.MaxConcurrentConnections = value.MaxConcurrentConnections;
        limits.MaxRequestHeadersTotalSize = value.MaxRequestHeadersTotalSize;
        limits.MaxRequestHeaderCount = value.MaxRequestHeaderCount;
        limits.MaxRequestLineSize = value.MaxRequestLineSize;
        limits.RequestHeadersTimeout = value.RequestHeadersTimeout;
        limits.KeepAliveTimeout = value.KeepAliveTimeout;
        limits.MinRequestBodyDataRate = value.MinRequestBodyDataRate > 0 ? new MinDataRate(value.MinRequestBodyDataRate, value.MinRequestBodyDataRateGracePeriod) : null;
    }
}
