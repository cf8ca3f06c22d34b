using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grains.Monitoring.SpikeProtection;

/// <summary>
/// Recomputes the <see cref="SpikeThresholds"/> when the host starts, as each hour begins (the thresholds
/// are for the hour), and every <see cref="SpikeProtectionOptions.RefreshInterval"/> in between.
/// </summary>
public sealed class SpikeProtectionRefresher(SpikeThresholds thresholds, IOptions<SpikeProtectionOptions> options, TimeProvider time, ILogger<SpikeProtectionRefresher> logger) : BackgroundService
{
    /// <summary>How often the hour is checked: a new hour's thresholds are at most this late.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.RefreshInterval < Tick ? settings.RefreshInterval : Tick, time);
        var last = DateTimeOffset.MinValue;
        try
        {
            do
            {
                var now = time.GetUtcNow();
                var hour = now.ToUnixTimeSeconds() / 3600 * 3600;
                if (thresholds.ComputedFor != hour || now - last >= settings.RefreshInterval)
                {
                    last = now;
                    try
                    {
                        await thresholds.RefreshAsync(stoppingToken).ConfigureAwait(false);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        SpikeProtectionLog.RefreshFailed(logger, exception);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
