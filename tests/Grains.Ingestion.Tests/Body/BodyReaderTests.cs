using System.Diagnostics;
using System.Text;
using Grains.Ingestion.Body;
using Grains.Ingestion.Limits;
using Grains.Ingestion.Tests.Support;

namespace Grains.Ingestion.Tests.Body;

public class BodyReaderTests
{
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes(
        string.Concat(Enumerable.Repeat("{\"type\":\"event\"}\n{\"message\":\"hello world\",\"level\":\"error\"}\n", 500)));

    [Theory]
    [InlineData(null, ContentEncoding.Identity)]
    [InlineData("", ContentEncoding.Identity)]
    [InlineData("identity", ContentEncoding.Identity)]
    [InlineData("UTF-8", ContentEncoding.Identity)]
    [InlineData("gzip", ContentEncoding.Gzip)]
    [InlineData("x-gzip", ContentEncoding.Gzip)]
    [InlineData("GZIP", ContentEncoding.Gzip)]
    [InlineData("deflate", ContentEncoding.Deflate)]
    [InlineData("br", ContentEncoding.Brotli)]
    [InlineData("identity, gzip", ContentEncoding.Gzip)]
    public void Parses_content_encoding(string? header, ContentEncoding expected)
    {
        Assert.Equal(expected, BodyReader.ParseEncoding(header));
    }

    [Theory]
    [InlineData("zstd")]
    [InlineData("compress")]
    [InlineData("gzip, br")]
    [InlineData("base64")]
    public void Unsupported_encoding_is_415(string header)
    {
        Rejection.Assert(() => BodyReader.ParseEncoding(header), 415, "unsupported content encoding");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("gzip")]
    [InlineData("x-gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    [InlineData("utf-8")]
    public async Task Decodes_each_encoding_from_a_chunked_body(string? encoding)
    {
        var wire = Compress.With(encoding ?? "", Payload);
        using var body = await BodyReader.ReadEnvelopeAsync(new ChunkedStream(wire, 1000), encoding, null, IngestLimits.Default);
        Assert.True(body.Span.SequenceEqual(Payload));
    }

    [Fact]
    public async Task Identity_body_with_content_length()
    {
        using var body = await BodyReader.ReadEnvelopeAsync(new MemoryStream(Payload), null, Payload.Length, IngestLimits.Default);
        Assert.Equal(Payload.Length, body.Length);
    }

    [Fact]
    public async Task Empty_gzip_body_reads_as_empty()
    {
        using var body = await BodyReader.ReadEnvelopeAsync(new MemoryStream(), "gzip", null, IngestLimits.Default);
        Assert.Equal(0, body.Length);
    }

    public static TheoryData<string, Func<byte[], byte[]>, string> CorruptBodies => new()
    {
        { "gzip", d => Compress.Gzip(d)[..^4], "failed to decode gzip payload" },
        { "gzip", d => Compress.Gzip(d)[..(Compress.Gzip(d).Length / 2)], "failed to decode gzip payload" },
        { "gzip", d => Compress.Gzip(d)[..5], "failed to decode gzip payload" },
        { "gzip", d => Flip(Compress.Gzip(d), -6), "failed to decode gzip payload" },
        { "gzip", _ => "this is not gzip at all"u8.ToArray(), "failed to decode gzip payload" },
        { "gzip", d => [.. Compress.Gzip(d), .. "junk"u8.ToArray()], "failed to decode gzip payload" },
        { "deflate", d => Compress.Zlib(d)[..^2], "failed to decode zlib payload" },
        { "deflate", d => Compress.Zlib(d)[..(Compress.Zlib(d).Length / 3)], "failed to decode zlib payload" },
        { "deflate", d => Flip(Compress.Zlib(d), -1), "failed to decode zlib payload" },
        { "br", d => Compress.Brotli(d)[..^3], "failed to decode brotli payload" },
        { "br", d => Compress.Brotli(d)[..(Compress.Brotli(d).Length / 2)], "failed to decode brotli payload" },
        { "br", d => [.. Compress.Brotli(d), 1, 2, 3], "failed to decode brotli payload" },
        { "br", _ => Enumerable.Repeat((byte)0xFF, 64).ToArray(), "failed to decode brotli payload" },
    };

    [Theory]
    [MemberData(nameof(CorruptBodies))]
    public async Task Truncated_or_corrupt_compressed_body_is_400(string encoding, Func<byte[], byte[]> make, string cause)
    {
        var wire = make(Payload);
        await Rejection.AssertAsync(
            () => BodyReader.ReadEnvelopeAsync(new ChunkedStream(wire, 777), encoding, null, IngestLimits.Default).AsTask(),
            400, "failed to read request body", cause);
    }

    [Fact]
    public async Task Identity_body_over_the_limit_is_413_while_streaming()
    {
        var limits = IngestLimits.Default with { MaxEnvelopeSize = 1000 };
        await Rejection.AssertAsync(
            () => BodyReader.ReadEnvelopeAsync(new ChunkedStream(Payload, 100), null, null, limits).AsTask(),
            413, "failed to read request body", "length limit exceeded");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task Body_exactly_at_the_limit_is_accepted(string? encoding)
    {
        var limits = IngestLimits.Default with { MaxEnvelopeSize = Payload.Length };
        using var body = await BodyReader.ReadEnvelopeAsync(new ChunkedStream(Compress.With(encoding ?? "", Payload), 4096), encoding, null, limits);
        Assert.Equal(Payload.Length, body.Length);
    }

    [Fact]
    public async Task Declared_content_length_over_the_limit_is_413_before_reading()
    {
        var limits = IngestLimits.Default with { MaxEventSize = 10 };
        await Rejection.AssertAsync(
            () => BodyReader.ReadStoreAsync(new ThrowingStream(), null, 11, limits).AsTask(),
            413, "failed to read request body", "length limit exceeded");
    }

    [Fact]
    public async Task Compressed_wire_limit_is_enforced()
    {
        var random = new byte[64 * 1024];
        new Random(7).NextBytes(random);
        var limits = IngestLimits.Default with { MaxCompressedBodySize = 16 * 1024 };
        await Rejection.AssertAsync(
            () => BodyReader.ReadEnvelopeAsync(new ChunkedStream(Compress.Gzip(random), 4096), "gzip", null, limits).AsTask(),
            413, "failed to read request body", "compressed body length limit exceeded");
    }

    [Fact]
    public async Task Gzip_bomb_of_one_GiB_is_cut_at_the_limit_quickly()
    {
        var bomb = new GzipBombStream(1L << 30);
        var limits = IngestLimits.Default with { MaxEnvelopeSize = 8 << 20 };
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        await Rejection.AssertAsync(
            () => BodyReader.ReadEnvelopeAsync(bomb, "gzip", null, limits).AsTask(),
            413, "failed to read request body", "length limit exceeded");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");

        // The reader stopped pulling shortly after the limit instead of inflating the whole GiB.
        Assert.True(bomb.UncompressedProduced < 64L << 20, $"bomb produced {bomb.UncompressedProduced} bytes");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 96L << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public async Task Gzip_bomb_against_default_limits_stops_at_200_MiB()
    {
        var bomb = new GzipBombStream(1L << 30);
        await Rejection.AssertAsync(
            () => BodyReader.ReadEnvelopeAsync(bomb, "gzip", null, IngestLimits.Default).AsTask(),
            413, "failed to read request body", "length limit exceeded");
        Assert.True(bomb.UncompressedProduced < 256L << 20, $"bomb produced {bomb.UncompressedProduced} bytes");
    }

    private static byte[] Flip(byte[] data, int fromEnd)
    {
        var copy = (byte[])data.Clone();
        copy[copy.Length + fromEnd] ^= 0x55;
        return copy;
    }

    private sealed class ThrowingStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("must not read");
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw new InvalidOperationException("must not read");
    }
}
