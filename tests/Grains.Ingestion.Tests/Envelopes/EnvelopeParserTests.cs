using System.Text;
using Grains.Ingestion.Envelopes;
using Grains.Ingestion.Limits;
using Grains.Ingestion.Tests.Support;

namespace Grains.Ingestion.Tests.Envelopes;

public class EnvelopeParserTests
{
    // Bytes as @sentry/node 11.12.0 sends them (reference §3.5): no length on JSON items, no final newline.
    private const string NodeHeader =
        "{\"event_id\":\"76b8cddbe2394c689cab4326b9217bd3\",\"sent_at\":\"2026-11-22T03:56:59.022Z\",\"sdk\":{\"name\":\"sentry.javascript.node\",\"version\":\"11.12.0\"},\"trace\":{\"environment\":\"test\",\"release\":\"demo@1.0.0\",\"public_key\":\"0123456789abcdef0123456789abcdef\",\"trace_id\":\"c2907034d37043119a8564b83823026e\"}}";

    private const string NodeEvent =
        "{\"exception\":{\"values\":[{\"type\":\"SyntaxError\",\"value\":\"Expected property name or '}' in JSON at position 1\",\"stacktrace\":{\"frames\":[{\"filename\":\"/tmp/sentrytest/minimal.js\",\"module\":\"minimal\",\"function\":\"main\",\"lineno\":19,\"colno\":10,\"in_app\":true}]},\"mechanism\":{\"type\":\"generic\",\"handled\":true}}]},\"event_id\":\"76b8cddbe2394c689cab4326b9217bd3\",\"level\":\"error\",\"platform\":\"node\",\"timestamp\":1795319819.021,\"tags\":{\"run\":\"ci\"}}";

    private static Envelope Parse(string text, IngestLimits? limits = null) => Parse(Encoding.UTF8.GetBytes(text), limits);

    private static Envelope Parse(byte[] bytes, IngestLimits? limits = null) => EnvelopeParser.Parse(bytes, limits ?? IngestLimits.Default);

    [Fact]
    public void Node_error_event_without_final_newline()
    {
        var envelope = Parse($"{NodeHeader}\n{{\"type\":\"event\"}}\n{NodeEvent}");

        Assert.Equal("76b8cddbe2394c689cab4326b9217bd3", envelope.EventId);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 3, 56, 59, 22, TimeSpan.Zero), envelope.Header.SentAt);
        Assert.Equal("sentry.javascript.node", envelope.Header.SdkName);
        Assert.Equal("11.12.0", envelope.Header.SdkVersion);
        var item = Assert.Single(envelope.Items);
        Assert.Equal(EnvelopeItemType.Event, item.ItemType);
        Assert.Equal(DataCategory.Error, item.Category);
        Assert.Null(item.DeclaredLength);
        Assert.Equal(NodeEvent, Encoding.UTF8.GetString(item.Payload.Span));
        Assert.Equal("test", envelope.Header.ToJsonObject()["trace"]!["environment"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    public void Node_event_with_attachment_and_client_report(string finalNewline)
    {
        var text = $"{NodeHeader}\n{{\"type\":\"event\"}}\n{NodeEvent}\n" +
                   "{\"type\":\"attachment\",\"length\":11,\"filename\":\"hello.txt\",\"content_type\":\"text/plain\"}\nhello\nworld\n" +
                   "{\"type\":\"client_report\"}\n{\"timestamp\":1795319485.78,\"discarded_events\":[{\"reason\":\"ratelimit_backoff\",\"category\":\"error\",\"quantity\":2}]}" + finalNewline;
        var envelope = Parse(text);

        Assert.Equal(3, envelope.Items.Count);
        var attachment = envelope.Items[1];
        Assert.Equal(EnvelopeItemType.Attachment, attachment.ItemType);
        Assert.Equal(11, attachment.DeclaredLength);
        Assert.Equal("hello.txt", attachment.Filename);
        Assert.Equal("text/plain", attachment.ContentType);
        Assert.Equal("hello\nworld", Encoding.UTF8.GetString(attachment.Payload.Span));
        Assert.Equal(DataCategory.Attachment, attachment.Category);
        Assert.Equal(11, attachment.Quantity);
        Assert.Equal(DataCategory.Internal, envelope.Items[2].Category);
        Assert.StartsWith("{\"timestamp\"", Encoding.UTF8.GetString(envelope.Items[2].Payload.Span));
        Assert.EndsWith("}]}", Encoding.UTF8.GetString(envelope.Items[2].Payload.Span));
    }

    [Fact]
    public void Python_style_every_item_with_length_and_newline()
    {
        const string payload = "{\"message\":\"hi\"}";
        var text = $"{{\"event_id\":\"9ec79c33-ec99-42ab-8353-589fcb2e04dc\"}}\n{{\"type\":\"event\",\"length\":{payload.Length},\"content_type\":\"application/json\"}}\n{payload}\n" +
                   "{\"type\":\"attachment\",\"length\":4,\"attachment_type\":\"event.minidump\",\"filename\":\"a.dmp\"}\n\0\u0001\r\n\n";
        var envelope = Parse(text);

        Assert.Equal("9ec79c33ec9942ab8353589fcb2e04dc", envelope.EventId);
        Assert.Equal(payload, Encoding.UTF8.GetString(envelope.Items[0].Payload.Span));
        Assert.Equal("application/json", envelope.Items[0].ContentType);
        Assert.Equal("event.minidump", envelope.Items[1].AttachmentType);
        Assert.Equal(new byte[] { 0, 1, (byte)'\r', (byte)'\n' }, envelope.Items[1].Payload.ToArray());
    }

    [Theory]
    [InlineData("{}", 0)]
    [InlineData("{}\n", 0)]
    [InlineData("{}\n{\"type\":\"session\"}\n", 1)]
    [InlineData("{}\n{\"type\":\"attachment\",\"length\":0}\n\n{\"type\":\"session\"}\n\n{\"type\":\"sessions\"}", 3)]
    [InlineData("{}\n{\"type\":\"attachment\",\"length\":0}", 1)]
    [InlineData("{}\n\n{\"type\":\"session\"}\n{}", 1)]
    public void Empty_envelopes_and_empty_items(string text, int count)
    {
        var envelope = Parse(text);
        Assert.Equal(count, envelope.Items.Count);
        Assert.All(envelope.Items, i => Assert.True(i.Payload.Length <= 2));
    }

    [Fact]
    public void Unknown_types_and_header_keys_are_kept()
    {
        var envelope = Parse("{\"custom\":[1,{\"a\":2}]}\n{\"type\":\"brand_new\",\"x-extra\":{\"k\":true}}\n{\"anything\":1}\n");
        var item = Assert.Single(envelope.Items);
        Assert.Equal("brand_new", item.Type);
        Assert.Equal(EnvelopeItemType.Unknown, item.ItemType);
        Assert.Null(item.Category);
        Assert.True(item.ParseHeaders()["x-extra"]!["k"]!.GetValue<bool>());
        Assert.Equal(2, envelope.Header.ToJsonObject()["custom"]![1]!["a"]!.GetValue<int>());
    }

    [Fact]
    public void Event_id_is_generated_only_when_an_item_needs_one()
    {
        var withEvent = Parse("{}\n{\"type\":\"event\"}\n{}");
        Assert.Matches("^[0-9a-f]{32}$", withEvent.EventId);
        Assert.Null(Parse("{}\n{\"type\":\"session\"}\n{}\n{\"type\":\"client_report\"}\n{}").EventId);
    }

    [Theory]
    [InlineData("event", "error")]
    [InlineData("transaction", "transaction")]
    [InlineData("attachment", "attachment")]
    [InlineData("session", "session")]
    [InlineData("sessions", "session")]
    [InlineData("client_report", "internal")]
    [InlineData("user_report", "feedback")]
    [InlineData("feedback", "feedback")]
    [InlineData("check_in", "monitor")]
    [InlineData("log", "log_item")]
    [InlineData("trace_metric", "trace_metric")]
    [InlineData("span", "span")]
    [InlineData("profile", "profile")]
    [InlineData("profile_chunk", "profile_chunk")]
    [InlineData("replay_event", "replay")]
    [InlineData("replay_recording", "replay")]
    [InlineData("statsd", "metric_bucket")]
    [InlineData("raw_security", "security")]
    public void Item_categories(string type, string category)
    {
        var item = Assert.Single(Parse($"{{}}\n{{\"type\":\"{type}\"}}\n{{}}").Items);
        Assert.Equal(category, item.Category?.Name);
    }

    [Fact]
    public void Container_quantity_is_item_count()
    {
        var item = Assert.Single(Parse("{}\n{\"type\":\"log\",\"item_count\":3,\"content_type\":\"application/vnd.sentry.items.log+json\"}\n{\"version\":2,\"items\":[{},{},{}]}").Items);
        Assert.Equal(3, item.Quantity);
        Assert.True(item.IsContainer);
    }

    [Fact]
    public void Writer_round_trips()
    {
        var original = Parse($"{NodeHeader}\n{{\"type\":\"event\"}}\n{NodeEvent}\n{{\"type\":\"attachment\",\"length\":3,\"filename\":\"a\"}}\na\nb");
        var written = EnvelopeWriter.ToArray(original);
        var reparsed = Parse(written);

        Assert.Equal(original.EventId, reparsed.EventId);
        Assert.Equal(original.Items.Count, reparsed.Items.Count);
        for (var i = 0; i < original.Items.Count; i++)
        {
            Assert.Equal(original.Items[i].Type, reparsed.Items[i].Type);
            Assert.True(original.Items[i].Payload.Span.SequenceEqual(reparsed.Items[i].Payload.Span));
            Assert.Equal(original.Items[i].Payload.Length, reparsed.Items[i].DeclaredLength);
        }
    }

    public static TheoryData<byte[], string> MalformedEnvelopes => new()
    {
        { "   \n"u8.ToArray(), "missing envelope header" },
        { "{\"event_id\":"u8.ToArray(), "invalid envelope header" },
        { "not json\n"u8.ToArray(), "invalid envelope header" },
        { "[]\n{\"type\":\"event\"}\n{}"u8.ToArray(), "invalid envelope header" },
        { "{\"event_id\":\"nope\"}\n"u8.ToArray(), "invalid envelope header" },
        { "{\"event_id\":42}\n"u8.ToArray(), "invalid envelope header" },
        { "{\"dsn\":\"garbage\"}\n"u8.ToArray(), "invalid envelope header" },
        { "{\"sent_at\":\"yesterday\"}\n"u8.ToArray(), "invalid envelope header" },
        { [.. "{\"a\":\""u8, 0xFF, 0xFE, .. "\"}\n"u8], "invalid UTF-8" },
        { "{} {\"type\":\"event\"}\n{}"u8.ToArray(), "missing newline after header or payload" },
        { "{}\n{\"type\":\"event\"}x\n{}"u8.ToArray(), "missing newline after header or payload" },
        { "{}\n{\"type\":\"event\"\n{}"u8.ToArray(), "invalid item header" },
        { "{}\n{\"length\":2}\n{}"u8.ToArray(), "missing field `type`" },
        { "{}\n{\"type\":7}\n{}"u8.ToArray(), "invalid item header" },
        { "{}\n{\"type\":\"attachment\",\"length\":-1}\nabc"u8.ToArray(), "invalid item header" },
        { "{}\n{\"type\":\"attachment\",\"length\":\"3\"}\nabc"u8.ToArray(), "invalid item header" },
        { "{}\n\"event\"\n{}"u8.ToArray(), "invalid item header" },
        { [.. "{}\n{\"type\":\"event\",\"filename\":\""u8, 0xC3, .. "\"}\n{}"u8], "invalid UTF-8" },
        { "{}\n{\"type\":\"attachment\",\"length\":10}\nabc"u8.ToArray(), "unexpected end of file" },
        { "{}\n{\"type\":\"attachment\",\"length\":1}"u8.ToArray(), "unexpected end of file" },
        { "{}\n{\"type\":\"attachment\",\"length\":2}\nabc\n"u8.ToArray(), "missing newline after header or payload" },
        { "{}\n{\"type\":\"session\"}\n{}\n\n"u8.ToArray(), "unexpected end of file" },
        { "{}\n{\"type\":\"session\"}\n{}\n  "u8.ToArray(), "unexpected end of file" },
        { "{}\n{\"type\":\"integration\"}\n{}"u8.ToArray(), "envelope contains internal items" },
    };

    [Theory]
    [MemberData(nameof(MalformedEnvelopes))]
    public void Malformed_envelopes_are_400(byte[] body, string cause)
    {
        Rejection.Assert(() => Parse(body), 400, "invalid event envelope", cause);
    }

    [Fact]
    public void Empty_body_is_400()
    {
        Rejection.Assert(() => Parse(Array.Empty<byte>()), 400, "empty request body");
    }

    public static TheoryData<string, IngestLimits, string> OversizedEnvelopes => new()
    {
        { "{}\n{\"type\":\"event\"}\n" + Json(1024 * 1024 + 1), IngestLimits.Default, "event" },
        { "{}\n{\"type\":\"event\"}\n{}\n{\"type\":\"event\"}\n{}", IngestLimits.Default, "event" },
        { "{}\n{\"type\":\"event\"}\n{}\n{\"type\":\"transaction\"}\n{}", IngestLimits.Default, "transaction" },
        { "{}\n{\"type\":\"client_report\"}\n" + Json(100 * 1024 + 1), IngestLimits.Default, "client_report" },
        { "{}\n{\"type\":\"check_in\"}\n" + Json(100 * 1024 + 1), IngestLimits.Default, "check_in" },
        { "{}\n" + string.Concat(Enumerable.Repeat("{\"type\":\"attachment\",\"length\":1}\nx\n", 31)), IngestLimits.Default, "attachment" },
        { "{}\n{\"type\":\"attachment\",\"length\":6,\"attachment_type\":\"event.minidump\"}\nMDMP12", IngestLimits.Default with { MaxAttachmentSize = 5 }, "event.minidump" },
        { "{}\n{\"type\":\"attachment\",\"length\":4}\n1234\n{\"type\":\"attachment\",\"length\":4}\n1234", IngestLimits.Default with { MaxAttachmentsSize = 7 }, "attachment" },
        { "{}\n" + string.Concat(Enumerable.Repeat("{\"type\":\"session\"}\n{}\n", 101)), IngestLimits.Default, "session" },
        { "{}\n{\"type\":\"log\",\"item_count\":2}\n" + Json(5 * 1024 * 1024), IngestLimits.Default, "log" },
        { "{}\n{\"type\":\"log\",\"item_count\":10}\n" + Json(13 * 1024 * 1024), IngestLimits.Default, "log" },

        // Every known type over its own limit (small limits keep the cases small).
        { "{}\n{\"type\":\"transaction\"}\n" + Json(101), Small, "transaction" },
        { "{}\n{\"type\":\"security\"}\n" + Json(101), Small, "security" },
        { "{}\n{\"type\":\"raw_security\"}\n" + Json(101), Small, "raw_security" },
        { "{}\n{\"type\":\"nel\"}\n" + Json(101), Small, "nel" },
        { "{}\n{\"type\":\"feedback\"}\n" + Json(101), Small, "feedback" },
        { "{}\n{\"type\":\"form_data\"}\n" + Json(101), Small, "form_data" },
        { "{}\n{\"type\":\"replay_event\"}\n" + Json(101), Small, "replay_event" },
        { "{}\n{\"type\":\"unreal_report\"}\n" + Json(101), Small, "unreal_report" },
        { "{}\n{\"type\":\"user_report\"}\n" + Json(101), Small, "user_report" },
        { "{}\n{\"type\":\"replay_recording\"}\n" + Json(101), Small, "replay_recording" },
        { "{}\n{\"type\":\"replay_video\"}\n" + Json(101), Small, "replay_video" },
        { "{}\n{\"type\":\"sessions\"}\n" + Json(101), Small, "sessions" },
        { "{}\n{\"type\":\"profile\"}\n" + Json(101), Small, "profile" },
        { "{}\n{\"type\":\"profile_chunk\"}\n" + Json(101), Small, "profile_chunk" },
        { "{}\n{\"type\":\"statsd\"}\n" + Json(101), Small, "statsd" },
        { "{}\n{\"type\":\"metric_buckets\"}\n" + Json(101), Small, "metric_buckets" },
        { "{}\n{\"type\":\"trace_metric\",\"item_count\":1}\n" + Json(101), Small, "trace_metric" },
        { "{}\n{\"type\":\"span\",\"item_count\":1}\n" + Json(101), Small, "span" },
        { "{}\n{\"type\":\"span\"}\n" + Json(101), Small, "span" },
        { "{}\n" + string.Concat(Enumerable.Repeat("{\"type\":\"span\"}\n{}\n", 101)), IngestLimits.Default, "span" },
        { "{}\n" + string.Concat(Enumerable.Repeat("{\"type\":\"client_report\"}\n{}\n", 101)), IngestLimits.Default, "client_report" },
        { "{}\n{\"type\":\"check_in\"}\n{}\n{\"type\":\"check_in\"}\n{}", IngestLimits.Default, "check_in" },

        // The item count, whatever the types: the item that crosses it is named.
        { "{}\n" + string.Concat(Enumerable.Repeat("{\"type\":\"something_new\"}\n\n", 501)), IngestLimits.Default, "something_new" },
    };

    // Every per-item size at 100 bytes.
    private static IngestLimits Small => IngestLimits.Default with
    {
        MaxEventSize = 100, MaxAttachmentSize = 100, MaxReplayCompressedSize = 100, MaxSessionsSize = 100, MaxProfileSize = 100,
        MaxMetricsSize = 100, MaxTraceMetricSize = 100, MaxSpanSize = 100,
    };

    [Fact]
    public void An_envelope_of_too_many_items_is_refused_at_the_first_item_over_the_count()
    {
        // A million empty unknown items: 31 bytes each on the wire, refused after 500 of them.
        var text = "{}\n" + string.Concat(Enumerable.Repeat("{\"type\":\"x\"}\n\n", 1_000_000));
        var error = Rejection.Assert(() => Parse(text), 413,
            "envelope exceeded size limits for type 'x' (https://develop.sentry.dev/sdk/envelopes/#size-limits)", "more than 500 items in one envelope");
        Assert.Single(error.Causes);

        Assert.Equal(500, Parse("{}\n" + string.Concat(Enumerable.Repeat("{\"type\":\"x\"}\n\n", 500))).Items.Count);
    }

    [Theory]
    [MemberData(nameof(OversizedEnvelopes))]
    public void Item_limits_are_413(string text, IngestLimits limits, string type)
    {
        Rejection.Assert(() => Parse(text, limits), 413,
            $"envelope exceeded size limits for type '{type}' (https://develop.sentry.dev/sdk/envelopes/#size-limits)");
    }

    [Fact]
    public void Event_exactly_at_the_limit_and_many_logs_within_the_container_are_accepted()
    {
        Assert.Single(Parse("{}\n{\"type\":\"event\"}\n" + Json(1024 * 1024)).Items);
        Assert.Single(Parse("{}\n{\"type\":\"log\",\"item_count\":10}\n" + Json(11 * 1024 * 1024)).Items);
    }

    private static string Json(int size) => "{\"x\":\"" + new string('a', size - 8) + "\"}";
}
