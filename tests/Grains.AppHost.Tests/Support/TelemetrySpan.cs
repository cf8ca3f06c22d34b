namespace Grains.AppHost.Tests.Support;

/// <summary>One span as the dashboard exports it.</summary>
/// <param name="Name">The span's name (ASP.NET Core: the method, then the route when there is one).</param>
/// <param name="Scope">The ActivitySource that emitted it (<c>Grains.Pipeline</c>, <c>Microsoft.AspNetCore</c>).</param>
/// <param name="Service">The resource that exported it (<c>silo1</c>).</param>
/// <param name="Kind">OTLP span kind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer.</param>
/// <param name="SpanId">Its id.</param>
/// <param name="ParentSpanId">Its parent's id, if any.</param>
internal sealed record TelemetrySpan(string Name, string Scope, string Service, int Kind, string SpanId, string? ParentSpanId)
{
    /// <summary>OTLP's span kind of a server span.</summary>
    public const int ServerKind = 2;

    /// <summary>Whether the name is <paramref name="expected"/>, or starts with it and a space (<c>"POST"</c> matches <c>"POST /api/..."</c>).</summary>
    public bool Matches(string expected) =>
        Name == expected || Name.StartsWith(expected + " ", StringComparison.Ordinal);
}
