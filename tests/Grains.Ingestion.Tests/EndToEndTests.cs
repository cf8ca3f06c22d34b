using System.Net;
using System.Text;
using Grains.Ingestion.Auth;
using Grains.Ingestion.Body;
using Grains.Ingestion.Envelopes;
using Grains.Ingestion.Limits;
using Grains.Ingestion.Normalization;
using Grains.Ingestion.Routing;
using Grains.Ingestion.Tests.Support;

namespace Grains.Ingestion.Tests;

/// <summary>The call sequence the HTTP endpoint performs, on SDK-shaped requests.</summary>
public class EndToEndTests
{
    private const string Key = "0123456789abcdef0123456789abcdef";

    private static readonly string Envelope =
        "{\"event_id\":\"76b8cddbe2394c689cab4326b9217bd3\",\"sent_at\":\"2026-11-22T03:56:59.022Z\",\"sdk\":{\"name\":\"sentry.javascript.node\",\"version\":\"11.12.0\"}}\n" +
        "{\"type\":\"event\"}\n" +
        "{\"message\":\"Something noteworthy happened\",\"level\":\"warning\",\"platform\":\"node\",\"timestamp\":1795319819.021,\"tags\":{\"run\":\"ci\"},\"user\":{\"ip_address\":\"{{auto}}\"}}";

    [Theory]
    [InlineData(null)]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("deflate")]
    public async Task Node_sdk_request_through_every_stage(string? encoding)
    {
        var route = IngestPathParser.Parse("/api/42/envelope/")!;
        var requestAuth = SentryAuthParser.FromRequest(_ => null, $"?sentry_version=7&sentry_key={Key}&sentry_client=sentry.javascript.node%2F11.12.0");

        var wire = Compress.With(encoding ?? "", Encoding.UTF8.GetBytes(Envelope));
        using var body = await BodyReader.ReadEnvelopeAsync(new ChunkedStream(wire, 512), encoding, null, IngestLimits.Default);
        var auth = requestAuth ?? SentryAuthParser.FromEnvelopeBody(body.Span);
        var envelope = EnvelopeParser.Parse(body.Memory, IngestLimits.Default);
        SentryAuthParser.EnsureEnvelopeMatches(auth, route.ProjectId, envelope.Header.Dsn);

        var received = new DateTimeOffset(2026, 11, 22, 3, 57, 0, TimeSpan.Zero);
        var context = new NormalizationContext(received, IPAddress.Parse("198.51.100.4"), envelope.EventId, envelope.Header.SentAt, envelope.Header.SdkName, envelope.Header.SdkVersion);
        var ev = new EventNormalizer().Normalize(envelope.Items[0].Payload, context);

        Assert.Equal(42UL, route.ProjectId);
        Assert.Equal(Key, auth.PublicKey);
        Assert.Equal("76b8cddbe2394c689cab4326b9217bd3", (string?)ev["event_id"]);
        Assert.Equal("warning", (string?)ev["level"]);
        Assert.Equal("Something noteworthy happened", (string?)ev["logentry"]!["formatted"]);
        Assert.Equal("198.51.100.4", (string?)ev["user"]!["ip_address"]);
        Assert.Equal("11.12.0", (string?)ev["sdk"]!["version"]);
    }

    [Fact]
    public async Task Tunnel_request_authenticates_from_the_envelope_header()
    {
        var text = $"{{\"dsn\":\"https://{Key}@example.com/42\"}}\n{{\"type\":\"session\"}}\n{{\"sid\":\"x\"}}";
        using var body = await BodyReader.ReadEnvelopeAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), null, text.Length, IngestLimits.Default);
        Assert.Null(SentryAuthParser.FromRequest(_ => null, null));
        var auth = SentryAuthParser.FromEnvelopeBody(body.Span);
        var envelope = EnvelopeParser.Parse(body.Memory, IngestLimits.Default);
        SentryAuthParser.EnsureEnvelopeMatches(auth, 42, envelope.Header.Dsn);
        Assert.Equal(SentryAuthSource.EnvelopeDsn, auth.Source);
        Assert.Null(envelope.EventId);
    }

    [Fact]
    public async Task Legacy_store_post_with_base64_zlib_body()
    {
        var json = "{\"message\":\"legacy\",\"event_id\":\"9ec79c33ec9942ab8353589fcb2e04dc\"}"u8.ToArray();
        var wire = Encoding.ASCII.GetBytes(Convert.ToBase64String(Compress.Zlib(json)));
        var auth = SentryAuthParser.Require(SentryAuthParser.FromRequest(
            h => h == "X-Sentry-Auth" ? $"Sentry sentry_key={Key}, sentry_version=7, sentry_client=raven-python/6.0" : null, null));
        using var body = await BodyReader.ReadStoreAsync(new MemoryStream(wire), null, wire.Length, IngestLimits.Default);
        var eventJson = StoreBodyDecoder.Decode(body.Memory, IngestLimits.Default);
        var ev = new EventNormalizer().Normalize(eventJson, new NormalizationContext(DateTimeOffset.UtcNow));
        Assert.Equal("raven-python", auth.ClientName);
        Assert.Equal("9ec79c33ec9942ab8353589fcb2e04dc", (string?)ev["event_id"]);
    }
}
