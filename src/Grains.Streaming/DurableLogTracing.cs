using System.Diagnostics;
using Orleans.Streams;

namespace Grains.Streaming;

/// <summary>Helpers for consumers of a durable-log stream that trace what they do with each item.</summary>
public static class DurableLogTracing
{
    /// <summary>The tag with the item's log offset on a consumer's span.</summary>
    public const string OffsetTag = "grains.streaming.offset";

    /// <summary>
    /// Starts a <see cref="ActivityKind.Consumer"/> activity <paramref name="name"/> of
    /// <paramref name="source"/> for processing the item delivered with <paramref name="token"/>, and
    /// makes it current. Its parent is the producer's append when the item carries its context
    /// (<see cref="DurableLogSequenceToken"/>), so the processing joins the producer's trace; the
    /// delivery in progress (Orleans' grain-call span) is linked. Without a context it is a child of
    /// the current activity. Null, with nothing allocated, when <paramref name="source"/> has no listeners.
    /// </summary>
    /// <remarks>The caller restores <see cref="Activity.Current"/> when it starts more than one, and stops each.</remarks>
    public static Activity? StartConsumerActivity(ActivitySource source, string name, StreamSequenceToken token)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(token);
        if (!source.HasListeners())
        {
            return null;
        }

        Activity? activity;
        if (token is DurableLogSequenceToken traced && traced.Trace.TryGetParent(out var parent))
        {
            ActivityLink[]? links = Activity.Current is { } delivery ? [new ActivityLink(delivery.Context)] : null;
            activity = source.StartActivity(name, ActivityKind.Consumer, parent, links: links);
        }
        else
        {
            activity = source.StartActivity(name, ActivityKind.Consumer);
        }

        activity?.SetTag(OffsetTag, token.SequenceNumber);
        return activity;
    }
}
