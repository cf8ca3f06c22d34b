namespace Grains.Monitoring.Alerts.Delivery;

/// <summary>
/// <see cref="IAlertOutbox"/> over the <see cref="IAlertDeliveryStore"/>: records the firings (repeats
/// by id ignored, one transaction) and wakes each of their projects' deliverers.
/// </summary>
public sealed class AlertOutbox(IAlertDeliveryStore store, IGrainFactory grains, TimeProvider? time = null) : IAlertOutbox
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public async Task RecordAsync(IReadOnlyList<AlertFiring> firings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(firings);
        if (firings.Count == 0)
        {
            return;
        }

        var inserted = await store.RecordAsync(firings, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        AlertDiagnostics.Firings.Add(inserted);

        // Woken even when every firing was a repeat: a crash may have come between recording and waking.
        // One-way calls: the issue grain's turn does not wait for any delivery.
        foreach (var project in firings.Select(f => f.ProjectId).Distinct())
        {
            await grains.GetGrain<IAlertDelivererGrain>(project).WakeAsync().ConfigureAwait(false);
        }
    }
}
