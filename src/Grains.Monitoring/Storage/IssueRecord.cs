namespace Grains.Monitoring.Storage;

/// <summary>
/// An issue's summary as the query store keeps it: everything lists, sorting and search need, so
/// they never activate issue grains. Written by the issue grain with absolute values (idempotent).
/// </summary>
public sealed record IssueRecord
{
    public required long Id { get; init; }

    public required long ProjectId { get; init; }

    /// <summary>The issue grain's key (<c>{projectId}:{primaryHash}</c>).</summary>
    public required string GrainKey { get; init; }

    /// <summary>Per-project number behind the short id (<c>DEFAULT-1A</c> is number 46 of project "default").</summary>
    public required long ShortNumber { get; init; }

    public required string Title { get; init; }

    public string Culprit { get; init; } = "";

    public string Level { get; init; } = "error";

    public string Platform { get; init; } = "other";

    public string? Logger { get; init; }

    /// <summary><c>error</c> or <c>default</c>.</summary>
    public string Type { get; init; } = "error";

    /// <summary>Sentry's metadata object (type, value, filename, function, title) as JSON.</summary>
    public string MetadataJson { get; init; } = "{}";

    /// <summary><c>unresolved</c>, <c>resolved</c> or <c>ignored</c>.</summary>
    public string Status { get; init; } = "unresolved";

    /// <summary><c>new</c>, <c>ongoing</c>, <c>regressed</c>, <c>escalating</c>, <c>forever</c>… or null.</summary>
    public string? Substatus { get; init; } = "new";

    public string StatusDetailsJson { get; init; } = "{}";

    public required DateTimeOffset FirstSeen { get; init; }

    public required DateTimeOffset LastSeen { get; init; }

    public long TimesSeen { get; init; }

    public long UserCount { get; init; }

    public string? FirstRelease { get; init; }

    public string? LastRelease { get; init; }

    /// <summary>Main exception type and value (for <c>error.type:</c> / <c>error.value:</c> search).</summary>
    public string? ErrorType { get; init; }

    public string? ErrorValue { get; init; }

    /// <summary>Free-text search material: title, message and culprit.</summary>
    public string SearchText { get; init; } = "";
}
