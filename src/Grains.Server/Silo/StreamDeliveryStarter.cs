using Grains.Monitoring.Events;
using Grains.Streaming;

namespace Grains.Server.Silo;

/// <summary>
/// Starts this silo's delivery of the ingest stream <see cref="SiloDefaults.DeliveryStartDelay"/> after the
/// server listens (<see cref="IHostApplicationLifetime.ApplicationStarted"/>), unless
/// <see cref="GrainsServerOptions.StartDelivery"/> is off.
/// </summary>
/// <remarks>
/// After a crash with a backlog, delivery activates thousands of issue grains at once; started with
/// the silo, it competed with the host's own start and the ingest edge listened seconds later. Events
/// acknowledged meanwhile wait in the durable log, so nothing is lost by starting afterwards.
/// </remarks>
public sealed partial class StreamDeliveryStarter(IServiceProvider services, IHostApplicationLifetime lifetime, GrainsServerOptions options, ILogger<StreamDeliveryStarter> logger) : IHostedService
{
    private CancellationTokenRegistration _registration;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.StartDelivery)
        {
            LogHeld();
            return Task.CompletedTask;
        }

        _registration = lifetime.ApplicationStarted.Register(() => _ = StartDeliveryAsync());
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration.Dispose();
        return Task.CompletedTask;
    }

    private async Task StartDeliveryAsync()
    {
        try
        {
            // The edge answers its first requests (and compiles their path) before the backlog competes for the cores.
            await Task.Delay(SiloDefaults.DeliveryStartDelay, lifetime.ApplicationStopping);
            await DurableLogStreamDelivery.StartAsync(services, IngestStream.ProviderName);
            LogStarted(IngestStream.ProviderName);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Stopped before delivery started: nothing to do.
        }
        catch (Exception exception)
        {
            // Without delivery nothing is processed: stop, so that an orchestrator restarts the process.
            LogFailed(exception, IngestStream.ProviderName);
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Stream delivery started ({Provider})")]
    private partial void LogStarted(string provider);

    [LoggerMessage(2, LogLevel.Critical, "Stream delivery ({Provider}) could not start; stopping the server")]
    private partial void LogFailed(Exception exception, string provider);

    [LoggerMessage(3, LogLevel.Warning, "Stream delivery is held (Grains:StartDelivery=false): events are acknowledged and stored, and processed once the server runs with delivery on")]
    private partial void LogHeld();
}
