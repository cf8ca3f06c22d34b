using System.Text;
using Grains.Ingestion.Auth;
using Grains.Ingestion.Body;
using Grains.Ingestion.Limits;
using Grains.Ingestion.Tests.Support;

namespace Grains.Ingestion.Tests.Body;

public class BodyDecoderTests
{
    private const string Key = "0123456789abcdef0123456789abcdef";
    private const int HeaderLimit = 16 * 1024;

    private static readonly byte[] TunnelEnvelope = Encoding.UTF8.GetBytes(
        $"{{\"dsn\":\"https://{Key}@example.com/42\",\"event_id\":\"9ec79c33ec9942ab8353589fcb2e04dc\"}}\n{{\"type\":\"attachment\",\"length\":{4 << 20}}}\n"
        + new string('z', 4 << 20));

    [Theory]
    [InlineData(null)]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task Envelope_auth_is_read_from_a_bounded_prefix_and_the_rest_decoded_after(string? encoding)
    {
        var wire = Compress.With(encoding ?? "", TunnelEnvelope);
        await using var decoder = BodyDecoder.ForEnvelope(new ChunkedStream(wire, 1000), encoding, null, IngestLimits.Default);

        var auth = await decoder.ReadEnvelopeAuthAsync(HeaderLimit, "agent/1");

        Assert.Equal((Key, SentryAuthSource.EnvelopeDsn), (auth.PublicKey, auth.Source));
        Assert.InRange(decoder.DecodedLength, 1, HeaderLimit);
        using var body = await decoder.ReadToEndAsync();
        Assert.True(body.Span.SequenceEqual(TunnelEnvelope));
    }

    [Fact]
    public async Task An_identity_body_with_a_declared_length_is_not_buffered_to_that_length_before_auth()
    {
        var budget = new InflationBudget(1L << 30, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        await using var decoder = BodyDecoder.ForEnvelope(new MemoryStream(TunnelEnvelope), null, TunnelEnvelope.Length, IngestLimits.Default, budget);

        await decoder.ReadEnvelopeAuthAsync(HeaderLimit, null);
        Assert.InRange(budget.InFlight, 1, HeaderLimit);

        using var body = await decoder.ReadToEndAsync();
        Assert.Equal(TunnelEnvelope.Length, body.Length);
    }

    [Fact]
    public async Task Unauthenticated_gzip_bomb_is_decoded_no_further_than_the_header_limit()
    {
        // 1 GiB of zeros: no newline, so no envelope header within the limit.
        var bomb = new GzipBombStream(1L << 30);
        var budget = new InflationBudget(1L << 30, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        await using (var decoder = BodyDecoder.ForEnvelope(bomb, "gzip", null, IngestLimits.Default, budget))
        {
            await Rejection.AssertAsync(
                () => decoder.ReadEnvelopeAuthAsync(HeaderLimit, null).AsTask(),
                401, SentryAuthParser.BadEnvelopeAuthDetail, $"envelope header longer than {HeaderLimit} bytes");
            Assert.Equal(HeaderLimit, decoder.DecodedLength);
        }

        Assert.Equal(HeaderLimit, budget.DecodedBytes);
        Assert.Equal(0, budget.InFlight);

        // The bomb stream compresses a MiB at a time; the decoder pulled only its first piece.
        Assert.True(bomb.UncompressedProduced <= 2 << 20, $"bomb produced {bomb.UncompressedProduced} bytes");
    }

    public static TheoryData<string, string> BadTunnelHeaders => new()
    {
        { "{\"event_id\":\"9ec79c33ec9942ab8353589fcb2e04dc\"}\n{}", "missing field `dsn`" },
        { "{\"dsn\":\"not a dsn\"}\n{}", "invalid dsn" },
        { "{\"dsn\":\"https://short@example.com/1\"}\n{}", "invalid project key" },
        { "not json at all\n", "" },
        { "{\"dsn\":\"https://" + Key + "@example.com/1\"", "" },
    };

    [Theory]
    [MemberData(nameof(BadTunnelHeaders))]
    public async Task A_header_without_usable_credentials_is_401(string body, string cause)
    {
        await using var decoder = BodyDecoder.ForEnvelope(new MemoryStream(Encoding.UTF8.GetBytes(body)), null, null, IngestLimits.Default);
        await Rejection.AssertAsync(() => decoder.ReadEnvelopeAuthAsync(HeaderLimit, null).AsTask(), 401, SentryAuthParser.BadEnvelopeAuthDetail, cause);
    }

    [Fact]
    public async Task Budget_reservations_follow_the_buffer_and_are_returned_on_dispose_and_on_failure()
    {
        var budget = new InflationBudget(64L << 20, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        var wire = Compress.Gzip(TunnelEnvelope);
        await using (var decoder = BodyDecoder.ForEnvelope(new ChunkedStream(wire, 4096), "gzip", null, IngestLimits.Default, budget))
        {
            using var body = await decoder.ReadToEndAsync();
            Assert.InRange(budget.InFlight, TunnelEnvelope.Length, 2L * TunnelEnvelope.Length + 1);
        }

        Assert.Equal(0, budget.InFlight);
        Assert.True(budget.LargeBytesReleased > TunnelEnvelope.Length, "the body's large buffers are counted as released garbage");

        var tooSmall = IngestLimits.Default with { MaxEnvelopeSize = 1 << 20 };
        await using (var decoder = BodyDecoder.ForEnvelope(new ChunkedStream(wire, 4096), "gzip", null, tooSmall, budget))
        {
            await Rejection.AssertAsync(() => decoder.ReadToEndAsync().AsTask(), 413, BodyReader.ReadFailedDetail, "length limit exceeded");
        }

        Assert.Equal(0, budget.InFlight);
    }

    [Fact]
    public async Task A_full_budget_refuses_a_growing_body_with_503_and_retry_after()
    {
        var budget = new InflationBudget(1 << 20, TimeSpan.Zero, TimeSpan.FromSeconds(2.5));
        budget.Reserve(1 << 20);
        await budget.ReserveAsync(1, new object(), CancellationToken.None); // another body already grows past the budget
        await using var decoder = BodyDecoder.ForEnvelope(new MemoryStream(TunnelEnvelope), null, null, IngestLimits.Default, budget);

        var error = await Rejection.AssertAsync(() => decoder.ReadToEndAsync().AsTask(), 503, InflationBudget.OverloadDetail);
        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
        Assert.Equal(1, budget.Rejections);
    }
}
