namespace Grains.Ingestion.Body;

/// <summary>Request body encodings the edge can decode.</summary>
public enum ContentEncoding
{
    /// <summary>No encoding: absent, empty, <c>identity</c> or <c>utf-8</c>.</summary>
    Identity,

    /// <summary><c>gzip</c> or <c>x-gzip</c> (RFC 1952).</summary>
    Gzip,

    /// <summary><c>deflate</c>: zlib-wrapped deflate (RFC 1950), not raw deflate.</summary>
    Deflate,

    /// <summary><c>br</c> (RFC 7932).</summary>
    Brotli,
}
