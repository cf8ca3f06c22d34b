using Orleans.Providers.Streams.Common;

namespace Grains.Streaming;

/// <summary>
/// The sequence token of a delivered item that was appended with a trace context: its log offset
/// (<see cref="Orleans.Streams.StreamSequenceToken.SequenceNumber"/>, as for every item) plus the
/// producer's <see cref="LogTraceContext"/>, so a consumer can parent the span that processes the item
/// on the append (<see cref="DurableLogTracing.StartConsumerActivity"/>). Items without a context get a
/// plain <see cref="EventSequenceTokenV2"/>: nothing extra is allocated when no one traces.
/// </summary>
/// <remarks>
/// It compares and orders like the plain token of its offset, in both directions: the context is
/// metadata. Orleans compares tokens only within one compatibility domain (different token types
/// throw), so this type declares the plain token's domain (a test holds Orleans to it).
/// </remarks>
[GenerateSerializer, Immutable, Alias("Grains.Streaming.DurableLogSequenceToken")]
public sealed class DurableLogSequenceToken : EventSequenceTokenV2
{
    /// <summary>Creates the token of the item at <paramref name="offset"/> appended under <paramref name="trace"/>.</summary>
    public DurableLogSequenceToken(long offset, LogTraceContext trace)
        : base(offset)
    {
        Trace = trace;
    }

    /// <summary>The trace context the item was appended with.</summary>
    [Id(0)]
    public LogTraceContext Trace { get; }

    /// <summary>The domain of <see cref="EventSequenceTokenV2"/> (Orleans 10.4 shares <see cref="EventSequenceToken"/>'s between V2 and legacy tokens).</summary>
    protected override Type SequenceTokenCompatibilityDomain => typeof(EventSequenceToken);
}
