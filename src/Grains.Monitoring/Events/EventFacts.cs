namespace Grains.Monitoring.Events;

/// <summary>
/// What the issue grain needs to know about an event, derived once at the ingest edge (any silo) so
/// the grain's turn stays cheap: identity, grouping outcome, title/culprit/metadata and the tags.
/// </summary>
public sealed record EventFacts
{
    public required long ProjectId { get; init; }

    public required string EventId { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    public required DateTimeOffset Received { get; init; }

    /// <summary>Grouping hashes, app first and system last.</summary>
    public required IReadOnlyList<string> Hashes { get; init; }

    public required string GroupingConfigId { get; init; }

    public required string Title { get; init; }

    public string Culprit { get; init; } = "";

    /// <summary><c>error</c> (has exceptions) or <c>default</c>.</summary>
    public string Type { get; init; } = "error";

    public string Level { get; init; } = "error";

    public string Platform { get; init; } = "other";

    public string? Logger { get; init; }

    public string? Release { get; init; }

    public string? Environment { get; init; }

    /// <summary>Main exception type and value, when the event has exceptions.</summary>
    public string? ErrorType { get; init; }

    public string? ErrorValue { get; init; }

    public string? Filename { get; init; }

    public string? Function { get; init; }

    /// <summary>The message (logentry formatted or message), for search.</summary>
    public string Message { get; init; } = "";

    /// <summary>The <c>user</c> tag value (<c>id:…</c>, <c>username:…</c>, <c>email:…</c> or <c>ip:…</c>), null when anonymous.</summary>
    public string? UserKey { get; init; }

    /// <summary>SDK tags and derived tags (level, environment, release, user, browser, os, …), one value per key.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; }
}
