namespace Grains.AppHost.Tests.Support;

/// <summary>One span as the dashboard exports it.</summary>
/// <param name="Name">The span's name (ASP.NET Core: the method, then the route when there is one).</param>
/// <param name="Scope">The ActivitySource that emitted it (<c>Grains.Pipeline</c>, <c>Microsoft.AspNetCore</c>).</param>
/// <param name="Service">The resource that exported it (<c>silo1</c>).</param>
/// <param name="Kind">OTLP span kind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer.</param>
/// <param name="SpanId">Its id.</param>
/// <param name="ParentSpanId">Its parent's id, if any.</param>
/// <param name="Attributes">Its string attributes.</param>
internal sealed record TelemetrySpan(string Name, string Scope, string Service, int Kind, string SpanId, string? ParentSpanId, IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>OTLP's span kind of a server span.</summary>
    public const int ServerKind = 2;

    /// <summary>
    /// The HTTP method of a server span whose attributes do not say it (ASP.NET Core's own request activity,
    /// <c>Microsoft.AspNetCore.Hosting.HttpRequestIn</c>, has none without the ASP.NET Core instrumentation):
    /// known to the test that sent the request as the span's parent.
    /// </summary>
    public string? RequestMethod { get; init; }

    /// <summary>
    /// What the span is, for matching and reading: an HTTP server span as <c>METHOD PATH</c>, any other
    /// span by its name.
    /// </summary>
    public string Label =>
        Kind == ServerKind && (Attribute("http.request.method", "http.method") ?? RequestMethod) is { } method
            ? $"{method} {Attribute("url.path", "http.target") ?? ""}".TrimEnd()
            : Name;

    /// <summary>Whether <see cref="Label"/> is <paramref name="expected"/>, or starts with it and a space (<c>"POST"</c> matches <c>"POST /api/1/envelope/"</c>).</summary>
    public bool Matches(string expected) =>
        Label == expected || Label.StartsWith(expected + " ", StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Label} (name {Name}, {Scope}, {Service}, kind {Kind}: {string.Join(", ", Attributes.Select(a => $"{a.Key}={a.Value}"))})";

    private string? Attribute(params string[] names) =>
        names.Select(n => Attributes.TryGetValue(n, out var value) ? value : null).FirstOrDefault(v => v is not null);
}
