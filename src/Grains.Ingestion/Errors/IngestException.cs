namespace Grains.Ingestion.Errors;

/// <summary>
/// A rejection of an ingest request, carrying everything the endpoint needs to answer the SDK:
/// the HTTP status and the Relay-compatible <c>{"detail":…,"causes":[…]}</c> body.
/// </summary>
/// <remarks>
/// Every parser in this library throws only this type for client errors, so the endpoint can map
/// one exception to one response and SDK authors see the same texts as with Relay.
/// </remarks>
public sealed class IngestException : Exception
{
    /// <summary>Creates a rejection with an explicit status.</summary>
    public IngestException(int statusCode, string detail, params IReadOnlyList<string> causes)
        : base(detail)
    {
        StatusCode = statusCode;
        Causes = causes;
    }

    /// <summary>Creates a rejection that wraps the exception that caused it.</summary>
    public IngestException(int statusCode, string detail, Exception inner, params IReadOnlyList<string> causes)
        : base(detail, inner)
    {
        StatusCode = statusCode;
        Causes = causes;
    }

    /// <summary>HTTP status code of the response (400, 401, 413, 415, 503, …).</summary>
    public int StatusCode { get; }

    /// <summary>The <c>detail</c> field: the top-level error message.</summary>
    public string Detail => Message;

    /// <summary>The <c>causes</c> field: the chain of underlying reasons, outermost first.</summary>
    public IReadOnlyList<string> Causes { get; }

    /// <summary>When set, the response carries <c>Retry-After</c> with these whole seconds.</summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary>400 Bad Request.</summary>
    public static IngestException BadRequest(string detail, params IReadOnlyList<string> causes) =>
        new(400, detail, causes);

    /// <summary>401 Unauthorized.</summary>
    public static IngestException Unauthorized(string detail, params IReadOnlyList<string> causes) =>
        new(401, detail, causes);

    /// <summary>413 Payload Too Large.</summary>
    public static IngestException PayloadTooLarge(string detail, params IReadOnlyList<string> causes) =>
        new(413, detail, causes);

    /// <summary>503 Service Unavailable with <c>Retry-After</c>: a transient overload, worth retrying.</summary>
    public static IngestException ServiceUnavailable(string detail, TimeSpan retryAfter, params IReadOnlyList<string> causes) =>
        new(503, detail, causes) { RetryAfter = retryAfter };

    /// <summary>415 Unsupported Media Type.</summary>
    public static IngestException UnsupportedMediaType(string detail, params IReadOnlyList<string> causes) =>
        new(415, detail, causes);
}
