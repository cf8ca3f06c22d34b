using System.Collections.Immutable;
using Grains.Ingestion.Envelopes;
using Grains.Ingestion.Routing;
using Grains.Monitoring.Outcomes;
using Grains.Monitoring.Projects;
using Grains.Monitoring.RateLimits;

namespace Grains.Server.Ingest.Admission;

/// <summary>
/// Rate limits at the ingest edge, cheapest first: (1) before the body is read, from memory only, a
/// request whose categories are all limited (any category for a limit on all categories; <c>error</c>
/// at the store endpoint) is answered 429 without a grain call or a byte of the body decoded; (2) after
/// the envelope is parsed, each item takes its quantity from the leases of the quotas of its category
/// (key, project, project share, organization, spike protection); the items a quota rejects are
/// dropped (an event's attachments with it, as Relay does), counted as <c>rate_limited</c> outcomes
/// with the quota's reason code, and the request gets its 429 after the rest is accepted.
/// </summary>
/// <remarks>
/// An item is admitted only if every quota of its category has room: quantities taken from the other
/// leases are given back when one says no, as Relay checks all quotas before incrementing any.
/// </remarks>
public sealed class IngestAdmission
{
    private readonly QuotaResolver _resolver;
    private readonly RateLimitLeases _leases;
    private readonly ISpikeProtection _spikes;
    private readonly IOutcomeRecorder? _outcomes;
    private readonly TimeProvider _time;

    public IngestAdmission(QuotaResolver resolver, RateLimitLeases leases, ISpikeProtection spikes, IServiceProvider services, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(services);
        _resolver = resolver;
        _leases = leases;
        _spikes = spikes;
        _time = time;

        // Optional: the outcomes subsystem registers its recorder; without one, drops are only metered.
        _outcomes = services.GetService<IOutcomeRecorder>();
    }

    /// <summary>
    /// Step (1): throws <see cref="RateLimitedException"/> when a limit known in memory rejects every
    /// item the request can hold. Makes no grain call; reads the store only when the key's quotas are
    /// not cached.
    /// </summary>
    public async ValueTask CheckBeforeBodyAsync(ResolvedKey key, IngestEndpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var quotas = await _resolver.ResolveAsync(key, cancellationToken).ConfigureAwait(false);
        var now = _leases.Now;
        List<ActiveRateLimit>? limits = null;
        var store = endpoint == IngestEndpoint.Store;
        foreach (var quota in quotas)
        {
            if (quota.Categories.IsEmpty || (store && quota.Matches(DataCategory.Error)))
            {
                AddIfKnownLimited(ref limits, quota, now);
            }
        }

        if (store && Spike(key, DataCategory.Error) is { } spike)
        {
            AddIfKnownLimited(ref limits, spike, now);
        }

        if (limits is null)
        {
            return;
        }

        // The body was never read: a store request is one error event; an envelope's items are unknown,
        // so it is counted per request in the metric only.
        Rejected(key, store ? DataCategory.Error : null, limits, 1);
        throw new RateLimitedException(limits);
    }

    /// <summary>Step (2) for the store endpoint: one error event. Throws <see cref="RateLimitedException"/> when a quota rejects it.</summary>
    public async ValueTask AdmitStoreEventAsync(ResolvedKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var quotas = await _resolver.ResolveAsync(key, cancellationToken).ConfigureAwait(false);
        if (await TakeAsync(key, quotas, DataCategory.Error, 1).ConfigureAwait(false) is { } limits)
        {
            Rejected(key, DataCategory.Error, limits, 1);
            throw new RateLimitedException(limits);
        }
    }

    /// <summary>
    /// Step (2) for an envelope: the envelope without its rate-limited items. Throws
    /// <see cref="RateLimitedException"/> at once when nothing is left to process.
    /// </summary>
    public async ValueTask<EnvelopeAdmission> AdmitEnvelopeAsync(ResolvedKey key, Envelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(envelope);
        var quotas = await _resolver.ResolveAsync(key, cancellationToken).ConfigureAwait(false);
        var items = envelope.Items;
        bool[]? dropped = null;
        List<ActiveRateLimit>? all = null;
        List<ActiveRateLimit>? eventLimits = null;

        // Attachments go last: when their event is dropped, they are dropped with it (Relay's
        // EnvelopeLimiter), without taking attachment quota.
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                var attachment = item.ItemType == EnvelopeItemType.Attachment;
                if (item.Category is not { } category || attachment != (pass == 1))
                {
                    continue;
                }

                var limits = attachment && eventLimits is not null
                    ? eventLimits
                    : await TakeAsync(key, quotas, category, item.Quantity).ConfigureAwait(false);
                if (limits is null)
                {
                    continue;
                }

                (dropped ??= new bool[items.Count])[i] = true;
                all ??= [];
                foreach (var limit in limits)
                {
                    RateLimitHeader.Merge(all, limit);
                }

                if (item.ItemType == EnvelopeItemType.Event)
                {
                    eventLimits = limits;
                }

                Rejected(key, category, limits, item.Quantity);
            }
        }

        if (dropped is null || all is null)
        {
            return new EnvelopeAdmission(envelope, []);
        }

        var kept = new List<EnvelopeItem>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (!dropped[i])
            {
                kept.Add(items[i]);
            }
        }

        if (kept.TrueForAll(item => item.Category is null))
        {
            // Nothing countable is left: answer now, as Relay does for a wholly limited envelope.
            throw new RateLimitedException(all);
        }

        return new EnvelopeAdmission(envelope.WithItems(kept), all);
    }

    /// <summary>Takes <paramref name="quantity"/> from every quota of <paramref name="category"/>; the limits that said no, or null.</summary>
    private async ValueTask<List<ActiveRateLimit>?> TakeAsync(ResolvedKey key, IReadOnlyList<Quota> quotas, DataCategory category, long quantity)
    {
        List<(Quota Quota, LeaseTake Take)>? taken = null;
        List<ActiveRateLimit>? limits = null;
        var spike = Spike(key, category);
        var count = quotas.Count + (spike is null ? 0 : 1);
        for (var i = 0; i < count; i++)
        {
            var quota = i < quotas.Count ? quotas[i] : spike!;
            if (!quota.Matches(category))
            {
                continue;
            }

            var take = await _leases.TakeAsync(quota, quantity).ConfigureAwait(false);
            if (take.Status == LeaseTakeStatus.Taken)
            {
                (taken ??= []).Add((quota, take));
            }
            else
            {
                RateLimitHeader.Merge(limits ??= [], new ActiveRateLimit(quota, Math.Max(1, take.Until - _leases.Now)));
            }
        }

        if (limits is not null && taken is not null)
        {
            foreach (var (quota, take) in taken)
            {
                _leases.Refund(quota, quantity, take);
            }
        }

        return limits;
    }

    private Quota? Spike(ResolvedKey key, DataCategory category)
    {
        var project = key.Project;
        return _spikes.HourlyThreshold(project.OrganizationId, project.Id, category) is { } threshold
            ? new Quota("s", QuotaScope.Project, project.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), project.OrganizationId,
                ImmutableArray.Create(category), Math.Max(0, threshold), 3600, ReasonCodes.SmartRateLimit)
            : null;
    }

    private void AddIfKnownLimited(ref List<ActiveRateLimit>? limits, Quota quota, long now)
    {
        var until = _leases.KnownLimitedUntil(quota, now);
        if (until > now)
        {
            RateLimitHeader.Merge(limits ??= [], new ActiveRateLimit(quota, until - now));
        }
    }

    private void Rejected(ResolvedKey key, DataCategory? category, List<ActiveRateLimit> limits, long quantity)
    {
        // The outcome's reason is the longest limit's, as Relay reports the longest.
        var reason = limits.MaxBy(l => l.RetryAfterSeconds)!.Quota.ReasonCode;
        RateLimitInstruments.Rejected.Add(quantity, new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("category", category?.Name ?? "request"));
        if (category is { } counted)
        {
            _outcomes?.Record(new OutcomeEvent(key.Project.OrganizationId, key.Project.Id, key.Key.PublicKey, counted, OutcomeKind.RateLimited, reason, quantity, _time.GetUtcNow()));
        }
    }
}
