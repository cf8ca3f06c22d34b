using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>Owns the OpenTelemetry providers: they start with the host and are flushed and disposed when it stops.</summary>
public sealed class TelemetryLifetime(TracerProvider tracing, MeterProvider metrics) : IHostedService, IDisposable
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        tracing.ForceFlush(5_000);
        metrics.ForceFlush(5_000);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        tracing.Dispose();
        metrics.Dispose();
    }
}
