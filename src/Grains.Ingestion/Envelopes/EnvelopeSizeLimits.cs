using Grains.Ingestion.Errors;
using Grains.Ingestion.Limits;

namespace Grains.Ingestion.Envelopes;

/// <summary>
/// Per-type item limits (Relay <c>utils/sizes.rs</c> <c>check_envelope_size_limits</c>): each item
/// type belongs to a group with a per-item size, a count and a total size. Containers are checked
/// by their average entry size. Unknown items have no size limit, as in Relay, but count against
/// <see cref="IngestLimits.MaxEnvelopeItems"/> like every other item.
/// </summary>
internal sealed class EnvelopeSizeLimits
{
    private readonly int _maxItems;
    private readonly Group _event, _attachment, _replayRecording, _replayVideo, _session, _clientReport,
        _profile, _checkIn, _metrics, _log, _traceMetric, _span, _spanLegacy;
    private int _items;

    public EnvelopeSizeLimits(IngestLimits limits)
    {
        _maxItems = limits.MaxEnvelopeItems;
        _event = new(limits.MaxEventSize, 1, limits.MaxEventSize);
        _attachment = new(limits.MaxAttachmentSize, limits.MaxAttachmentCount, limits.MaxAttachmentsSize);
        _replayRecording = new(limits.MaxReplayCompressedSize, 1, limits.MaxReplayCompressedSize);
        _replayVideo = new(limits.MaxReplayCompressedSize, 1, limits.MaxReplayCompressedSize);
        _session = new(limits.MaxSessionsSize, limits.MaxSessionCount, limits.MaxSessionsSize);
        _clientReport = new(limits.MaxClientReportsSize, limits.MaxClientReportCount, limits.MaxClientReportsSize);
        _profile = new(limits.MaxProfileSize, 1, limits.MaxProfileSize);
        _checkIn = new(limits.MaxCheckInSize, 1, limits.MaxCheckInSize);
        _metrics = new(limits.MaxMetricsSize, 1, limits.MaxMetricsSize);
        _log = new(limits.MaxLogSize, 1, limits.MaxContainerSize);
        _traceMetric = new(limits.MaxTraceMetricSize, 1, limits.MaxContainerSize);
        _span = new(limits.MaxSpanSize, 1, limits.MaxContainerSize);
        _spanLegacy = new(limits.MaxSpanSize, limits.MaxStandaloneSpanCount, limits.MaxContainerSize);
    }

    /// <exception cref="IngestException">413 naming the item type.</exception>
    public void Apply(EnvelopeItem item)
    {
        if (++_items > _maxItems)
        {
            throw IngestException.PayloadTooLarge(Detail(item), $"more than {_maxItems} items in one envelope");
        }

        var group = item.ItemType switch
        {
            EnvelopeItemType.Event or EnvelopeItemType.Transaction or EnvelopeItemType.Security or EnvelopeItemType.RawSecurity
                or EnvelopeItemType.Nel or EnvelopeItemType.ReplayEvent or EnvelopeItemType.Feedback or EnvelopeItemType.FormData => _event,
            EnvelopeItemType.Attachment or EnvelopeItemType.UnrealReport or EnvelopeItemType.UserReport => _attachment,
            EnvelopeItemType.ReplayRecording => _replayRecording,
            EnvelopeItemType.ReplayVideo => _replayVideo,
            EnvelopeItemType.Session or EnvelopeItemType.Sessions => _session,
            EnvelopeItemType.ClientReport => _clientReport,
            EnvelopeItemType.Profile or EnvelopeItemType.ProfileChunk => _profile,
            EnvelopeItemType.CheckIn => _checkIn,
            EnvelopeItemType.Statsd or EnvelopeItemType.MetricBuckets => _metrics,
            EnvelopeItemType.Log => _log,
            EnvelopeItemType.TraceMetric => _traceMetric,
            EnvelopeItemType.Span => item.IsContainer ? _span : _spanLegacy,
            _ => null,
        };

        if (group is not null && !group.TryTake(item))
        {
            throw IngestException.PayloadTooLarge(Detail(item));
        }
    }

    private static string Detail(EnvelopeItem item) =>
        $"envelope exceeded size limits for type '{item.AttachmentType ?? item.Type}' (https://develop.sentry.dev/sdk/envelopes/#size-limits)";

    private sealed class Group(long itemSize, int count, long totalSize)
    {
        private int _count = count;
        private long _total = totalSize;

        public bool TryTake(EnvelopeItem item)
        {
            long length = item.Payload.Length;
            var size = item.IsContainer ? length / Math.Max(item.ItemCount ?? 1, 1) : length;
            if (size > itemSize || --_count < 0)
            {
                return false;
            }

            _total -= length;
            return _total >= 0;
        }
    }
}
