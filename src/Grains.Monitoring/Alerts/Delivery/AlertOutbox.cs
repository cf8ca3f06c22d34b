namespace Grains.Monitoring.Alerts.Delivery;

/// <summary>
/// <see cref="IAlertOutbox"/> over the <see cref="IAlertDeliveryStore"/>: records the firings (repeats
/// by id ignored, one transaction), or takes those an issue batch committed, and wakes each of their
/// projects' deliverers.
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
        await WakeAsync(firings).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task CommittedAsync(IReadOnlyList<AlertFiring> firings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(firings);

        // A batch commits once (its offset and checkpoint), so each of its firings is new to the outbox.
        AlertDiagnostics.Firings.Add(firings.Count);
        await WakeAsync(firings).ConfigureAwait(false);
    }

    // One-way calls: the issue grain's turn does not wait for any delivery.
    private async Task WakeAsync(IReadOnlyList<AlertFiring> firings)
    {
        foreach (var project in firings.Select(f => f.ProjectId).Distinct())
        {
            await grains.GetGrain<IAlertDelivererGrain>(project).WakeAsync().ConfigureAwait(false);
        }
    }
}
