using System.Text;
using Grains.Ingestion.Body;
using Grains.Ingestion.Limits;
using Grains.Ingestion.Tests.Support;

namespace Grains.Ingestion.Tests.Body;

public class StoreBodyDecoderTests
{
    private static readonly byte[] Event = "{\"message\":\"legacy\"}"u8.ToArray();

    [Fact]
    public void Plain_json_is_returned_without_copy()
    {
        ReadOnlyMemory<byte> body = Event;
        var decoded = StoreBodyDecoder.Decode(body, IngestLimits.Default);
        Assert.True(decoded.Span.SequenceEqual(Event));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(decoded, out var segment) && segment.Array == Event);
    }

    [Fact]
    public void Base64_json_and_base64_zlib_are_decoded()
    {
        var b64 = Encoding.ASCII.GetBytes(Convert.ToBase64String(Event));
        Assert.True(StoreBodyDecoder.Decode(b64, IngestLimits.Default).Span.SequenceEqual(Event));

        var zlib = Convert.ToBase64String(Compress.Zlib(Event));
        Assert.True(StoreBodyDecoder.Decode(Encoding.ASCII.GetBytes(zlib), IngestLimits.Default).Span.SequenceEqual(Event));
        Assert.True(StoreBodyDecoder.DecodeQueryValue(zlib, IngestLimits.Default).Span.SequenceEqual(Event));
    }

    [Theory]
    [InlineData("", 400, "empty request body")]
    [InlineData("!!!not base64!!!", 400, "failed to read request body")]
    [InlineData("AAECAwQF", 400, "failed to read request body")]
    public void Malformed_store_bodies(string body, int status, string detail)
    {
        Rejection.Assert(() => StoreBodyDecoder.Decode(Encoding.ASCII.GetBytes(body), IngestLimits.Default), status, detail);
    }

    [Fact]
    public void Zlib_store_body_over_event_limit_is_413()
    {
        var big = Encoding.UTF8.GetBytes("{\"message\":\"" + new string('a', 5000) + "\"}");
        var body = Encoding.ASCII.GetBytes(Convert.ToBase64String(Compress.Zlib(big)));
        Rejection.Assert(() => StoreBodyDecoder.Decode(body, IngestLimits.Default with { MaxEventSize = 1000 }), 413, "failed to read request body");
    }
}
