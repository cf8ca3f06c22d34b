using System.Diagnostics;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;

namespace Grains.Streaming.Tests;

/// <summary>How a record's trace context travels from the appending activity to the consumer's span.</summary>
public sealed class TraceContextTests
{
    private const string SourceName = "Grains.Streaming.Tests.Trace";

    private static readonly ActivitySource Source = new(SourceName);

    [Fact]
    public void The_context_of_a_W3C_activity_is_its_traceparent_and_a_small_tracestate()
    {
        using var activity = new Activity("append").SetIdFormat(ActivityIdFormat.W3C).Start();
        activity.TraceStateString = "vendor=1";

        var context = LogTraceContext.From(activity);

        Assert.Equal(new LogTraceContext(activity.Id!, "vendor=1"), context);
        Assert.Equal(55, context!.Value.TraceParent.Length);
        activity.TraceStateString = "v=" + new string('x', LogTraceContext.MaxTraceStateLength);
        Assert.Null(LogTraceContext.From(activity)!.Value.TraceState);
        Assert.Null(LogTraceContext.From((Activity?)null));
        Assert.Null(LogTraceContext.From(null, "vendor=1"));
    }

    [Fact]
    public void Only_traced_items_get_a_token_with_their_context_and_it_compares_as_the_plain_token_of_its_offset()
    {
        var trace = new LogTraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
        var container = new DurableLogBatchContainer(StreamId.Create("ns", "k"), 0, [5, 6], [[1], [2]], [trace, null]);
        var untraced = new DurableLogBatchContainer(StreamId.Create("ns", "k"), 0, [7], [[3]]);

        var tokens = container.GetEvents<byte[]>().Select(e => e.Item2).ToList();

        var traced = Assert.IsType<DurableLogSequenceToken>(tokens[0]);
        Assert.Equal(trace, traced.Trace);
        Assert.True(traced.Equals(new EventSequenceTokenV2(5)) && new EventSequenceTokenV2(5).Equals(traced), "equal to the plain token of its offset");
        Assert.Equal(0, traced.CompareTo(new EventSequenceTokenV2(5)));
        Assert.True(traced.CompareTo(new EventSequenceTokenV2(6)) < 0 && new EventSequenceTokenV2(6).CompareTo(traced) > 0, "ordered by offset");
        Assert.IsType<EventSequenceTokenV2>(tokens[1]);
        Assert.IsType<EventSequenceTokenV2>(Assert.Single(untraced.GetEvents<byte[]>()).Item2);
        Assert.Throws<ArgumentException>(() => new DurableLogBatchContainer(StreamId.Create("ns", "k"), 0, [5, 6], [[1], [2]], [trace]));
    }

    [Fact]
    public void A_consumer_activity_is_a_child_of_the_append_and_links_the_delivery()
    {
        using var listener = new ActivityListener
        {
            // By name: reading Source here would create it inside AddActivityListener, too late to be listened to.
            ShouldListenTo = source => source.Name == SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var trace = new LogTraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
        using var delivery = Source.StartActivity("deliver")!;

        using var consumer = DurableLogTracing.StartConsumerActivity(Source, "apply", new DurableLogSequenceToken(9, trace))!;

        Assert.Equal(ActivityKind.Consumer, consumer.Kind);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", consumer.TraceId.ToHexString());
        Assert.Equal("b7ad6b7169203331", consumer.ParentSpanId.ToHexString());
        Assert.Equal(delivery.Context, Assert.Single(consumer.Links).Context);
        Assert.Equal(9L, consumer.GetTagItem(DurableLogTracing.OffsetTag));
    }

    [Fact]
    public void Without_listeners_no_consumer_activity_is_started()
    {
        using var unheard = new ActivitySource("Grains.Streaming.Tests.Unheard");
        Assert.Null(DurableLogTracing.StartConsumerActivity(unheard, "apply", new EventSequenceTokenV2(1)));
    }
}
