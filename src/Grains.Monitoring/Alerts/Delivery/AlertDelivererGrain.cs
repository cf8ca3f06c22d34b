using System.Diagnostics;
using Grains.Monitoring.Alerts.Actions;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Projects.Options;
using Grains.Monitoring.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grains.Monitoring.Alerts.Delivery;

/// <summary>
/// Delivers one project's firings from the outbox: expands new firings into deliveries (one per
/// destination, with the project's settings at that moment), sends the due ones in parallel (at most
/// <see cref="AlertDeliveryOptions.MaxParallel"/>, each within <see cref="AlertDeliveryOptions.Timeout"/>),
/// and writes each outcome after its send: delivered, pending again after a back-off, or dead.
/// </summary>
/// <remarks>
/// Exactly once in the normal path: only this activation sends the project's deliveries, one pass at a
/// time, and a delivery is read as due only while it is pending. A crash after a send and before its
/// update resends it after restart with the same delivery id (the receiver's key to drop it).
/// The pass runs in the background of the activation (wakes return at once, one-way); a timer wakes it
/// for the next retry, and every silo's <see cref="AlertDeliverySweep"/> wakes projects whose
/// deliveries are due, so nothing waits on an activation that was collected or a silo that died.
/// </remarks>
public sealed class AlertDelivererGrain(
    IAlertDeliveryStore store,
    IEnumerable<IAlertChannel> channels,
    IDirectoryStore directory,
    IOptions<AlertDeliveryOptions> options,
    ILogger<AlertDelivererGrain> logger,
    TimeProvider? time = null) : Grain, IAlertDelivererGrain
{
    private const int BatchSize = 100;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, IAlertChannel> _channels = channels.ToDictionary(c => c.Kind, StringComparer.Ordinal);
    private Task? _run;
    private bool _wake;
    private IGrainTimer? _timer;

    private long ProjectId => this.GetPrimaryKeyLong();

    public Task WakeAsync()
    {
        Wake();
        return Task.CompletedTask;
    }

    private void Wake()
    {
        _wake = true;
        if (_run is null || _run.IsCompleted)
        {
            _run = RunAsync();
        }
    }

    private async Task RunAsync()
    {
        await Task.Yield();
        while (_wake)
        {
            _wake = false;
            try
            {
                await PassAsync();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                AlertDeliveryLog.PassFailed(logger, exception, ProjectId);
                break;
            }
        }

        try
        {
            await ScheduleAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            AlertDeliveryLog.PassFailed(logger, exception, ProjectId);
        }
    }

    private async Task ScheduleAsync()
    {
        _timer?.Dispose();
        _timer = null;
        if (await store.NextDueAsync(ProjectId) is not { } next)
        {
            return;
        }

        var delay = next - _time.GetUtcNow();
        if (delay <= TimeSpan.Zero)
        {
            delay = TimeSpan.FromMilliseconds(1);
        }

        _timer = this.RegisterGrainTimer(static (grain, _) =>
        {
            grain.Wake();
            return Task.CompletedTask;
        }, this, new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = false });
    }

    private async Task PassAsync()
    {
        var project = await directory.GetProjectAsync(ProjectId);
        if (project is null)
        {
            return;
        }

        var projectOptions = await GrainFactory.GetGrain<IProjectGrain>(ProjectId).GetOptionsAsync();
        await ExpandAsync(projectOptions);

        var organization = (await directory.ListOrganizationsAsync()).FirstOrDefault(o => o.Id == project.OrganizationId)?.Slug ?? "";
        var firings = new Dictionary<string, AlertFiring?>(StringComparer.Ordinal);
        while (true)
        {
            var now = _time.GetUtcNow();
            var due = await store.DueAsync(ProjectId, now, BatchSize);
            if (due.Count == 0)
            {
                return;
            }

            var messages = new List<(IAlertChannel? Channel, AlertMessage Message)>();
            var batched = new HashSet<string>(StringComparer.Ordinal);
            foreach (var delivery in due)
            {
                if (batched.Contains(delivery.Id))
                {
                    continue;
                }

                var channel = _channels.GetValueOrDefault(delivery.Kind);
                var group = channel is { Batches: true } && DigestDelay(projectOptions).Minimum > TimeSpan.Zero
                    ? [.. (await store.DueAsync(ProjectId, now + DigestDelay(projectOptions).Minimum, BatchSize)).Where(d => d.Kind == delivery.Kind)]
                    : new List<AlertDelivery> { delivery };
                var items = new List<(AlertDelivery, AlertFiring)>();
                foreach (var member in group.Where(d => batched.Add(d.Id)))
                {
                    if (!firings.TryGetValue(member.FiringId, out var firing))
                    {
                        firings[member.FiringId] = firing = await store.GetFiringAsync(member.FiringId);
                    }

                    if (firing is not null)
                    {
                        items.Add((member, firing));
                    }
                    else
                    {
                        await FinishAsync([member], AlertAttemptResult.Unsendable("its firing is gone"), now);
                    }
                }

                if (items.Count > 0)
                {
                    messages.Add((channel, new AlertMessage(project, organization, projectOptions, items)));
                }
            }

            using var slots = new SemaphoreSlim(options.Value.MaxParallel);
            await Task.WhenAll(messages.Select(async m =>
            {
                await slots.WaitAsync();
                try
                {
                    await AttemptAsync(m.Channel, m.Message);
                }
                finally
                {
                    slots.Release();
                }
            }));

            if (due.Count < BatchSize)
            {
                return;
            }
        }
    }

    private async Task ExpandAsync(ProjectOptions projectOptions)
    {
        while (true)
        {
            var firings = await store.UnexpandedAsync(ProjectId, BatchSize);
            var now = _time.GetUtcNow();
            foreach (var firing in firings)
            {
                var deliveries = AlertDestinations.Resolve(firing.ActionsJson, projectOptions)
                    .Select(d => new AlertDelivery(
                        AlertDeliveryIds.For(firing.Id, d.Kind, d.Target), firing.Id, firing.ProjectId, d.Kind, d.Target, AlertDeliveryStatus.Pending, 0,
                        d.Kind == AlertDeliveryKinds.Email ? Max(now, firing.FiredAt + DigestDelay(projectOptions).Minimum) : now,
                        null, null, firing.FiredAt, now, null))
                    .ToList();
                await store.ExpandAsync(firing.Id, deliveries);
                AlertDeliveryLog.Expanded(logger, firing.Id, ProjectId, deliveries.Count);
            }

            if (firings.Count < BatchSize)
            {
                return;
            }
        }
    }

    private (TimeSpan Minimum, TimeSpan Maximum) DigestDelay(ProjectOptions projectOptions)
    {
        var minimum = DigestDelayOption.Minimum.Read(projectOptions) is { } min ? TimeSpan.FromSeconds(min) : options.Value.DigestMinimumDelay;
        var maximum = DigestDelayOption.Maximum.Read(projectOptions) is { } max ? TimeSpan.FromSeconds(max) : options.Value.DigestMaximumDelay;

        // A digest waits at most its maximum delay, whatever the minimum says.
        return (minimum > maximum ? maximum : minimum, maximum);
    }

    private async Task AttemptAsync(IAlertChannel? channel, AlertMessage message)
    {
        var first = message.Items[0].Delivery;
        var attempt = first.Attempts + 1;
        using var activity = AlertDiagnostics.ActivitySource.StartActivity("grains.alerts.deliver", ActivityKind.Client);
        activity?.SetTag("grains.alerts.delivery_id", first.Id);
        activity?.SetTag("grains.alerts.kind", first.Kind);
        activity?.SetTag("grains.alerts.attempt", attempt);
        activity?.SetTag("grains.alerts.deliveries", message.Items.Count);
        activity?.SetTag("grains.project_id", ProjectId);

        AlertAttemptResult result;
        if (channel is null)
        {
            result = AlertAttemptResult.Unsendable($"no channel sends '{first.Kind}' deliveries");
        }
        else
        {
            using var deadline = new CancellationTokenSource(options.Value.Timeout, _time);
            try
            {
                result = await channel.SendAsync(message, deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                result = AlertAttemptResult.Failure($"timed out after {options.Value.Timeout.TotalMilliseconds:0} ms");
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A channel reports a receiver's failure as a result; anything else is described by its type only (messages may quote settings).
                result = AlertAttemptResult.Failure(exception.GetType().Name);
            }
        }

        activity?.SetTag("grains.alerts.outcome", result.Delivered ? "delivered" : "failed");
        if (result.StatusCode is { } code)
        {
            activity?.SetTag("grains.alerts.status_code", code);
        }

        if (!result.Delivered)
        {
            activity?.SetStatus(ActivityStatusCode.Error, result.Error);
        }

        await FinishAsync(message.Items.Select(i => i.Delivery).ToList(), result, _time.GetUtcNow());
    }

    private async Task FinishAsync(IReadOnlyList<AlertDelivery> deliveries, AlertAttemptResult result, DateTimeOffset now)
    {
        var settings = options.Value;
        foreach (var delivery in deliveries)
        {
            var attempt = delivery.Attempts + 1;
            var target = Describe(delivery);
            var kind = new KeyValuePair<string, object?>("kind", delivery.Kind);
            if (result.Delivered)
            {
                await store.UpdateAsync(new AlertDeliveryUpdate(delivery.Id, AlertDeliveryStatus.Delivered, attempt, now, null, result.StatusCode, now));
                AlertDiagnostics.Attempts.Add(1, kind, new("outcome", "delivered"));
                AlertDiagnostics.Latency.Record(Math.Max(0, (now - delivery.FiredAt).TotalSeconds), kind);
                AlertDeliveryLog.Delivered(logger, delivery.Id, delivery.Kind, target, delivery.FiringId, attempt, result.StatusCode);
            }
            else if (result.Permanent || attempt >= settings.MaxAttempts)
            {
                await store.UpdateAsync(new AlertDeliveryUpdate(delivery.Id, AlertDeliveryStatus.Dead, attempt, now, result.Error, result.StatusCode, null));
                AlertDiagnostics.Attempts.Add(1, kind, new("outcome", "dead"));
                AlertDiagnostics.DeadLetters.Add(1, kind);
                AlertDeliveryLog.DeadLettered(logger, delivery.Id, delivery.Kind, target, attempt, result.Error ?? "failed");
            }
            else
            {
                var delay = AlertBackoff.Delay(attempt, settings.InitialBackoff, settings.MaxBackoff, Random.Shared);
                await store.UpdateAsync(new AlertDeliveryUpdate(delivery.Id, AlertDeliveryStatus.Pending, attempt, now + delay, result.Error, result.StatusCode, null));
                AlertDiagnostics.Attempts.Add(1, kind, new("outcome", "retry"));
                AlertDeliveryLog.Retrying(logger, delivery.Id, delivery.Kind, target, attempt, settings.MaxAttempts, result.Error ?? "failed", (long)delay.TotalMilliseconds);
            }
        }
    }

    /// <summary>A delivery's destination as it may be logged.</summary>
    public static string Describe(AlertDelivery delivery) => delivery.Kind == AlertDeliveryKinds.Webhooks ? WebhookUrls.Redact(delivery.Target) : delivery.Kind;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
