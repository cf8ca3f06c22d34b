namespace Grains.Monitoring.Storage;

/// <summary>
/// An issue's summary as the query store keeps it: everything lists, sorting and search need, so
/// they never activate issue grains. Written by the issue grain with absolute values (idempotent).
/// </summary>
[GenerateSerializer, Alias("Grains.Monitoring.IssueRecord")]
public sealed record IssueRecord
{
    [Id(0)]
    public required long Id { get; init; }

    [Id(1)]
    public required long ProjectId { get; init; }

    /// <summary>The issue grain's key (<c>{projectId}:{primaryHash}</c>).</summary>
    [Id(2)]
    public required string GrainKey { get; init; }

    /// <summary>Per-project number behind the short id (<c>DEFAULT-1A</c> is number 46 of project "default").</summary>
    [Id(3)]
    public required long ShortNumber { get; init; }

    [Id(4)]
    public required string Title { get; init; }

    [Id(5)]
    public string Culprit { get; init; } = "";

    [Id(6)]
    public string Level { get; init; } = "error";

    [Id(7)]
    public string Platform { get; init; } = "other";

    [Id(8)]
    public string? Logger { get; init; }

    /// <summary><c>error</c> or <c>default</c>.</summary>
    [Id(9)]
    public string Type { get; init; } = "error";

    /// <summary>Sentry's metadata object (type, value, filename, function, title) as JSON.</summary>
    [Id(10)]
    public string MetadataJson { get; init; } = "{}";

    /// <summary><c>unresolved</c>, <c>resolved</c> or <c>ignored</c>.</summary>
    [Id(11)]
    public string Status { get; init; } = "unresolved";

    /// <summary><c>new</c>, <c>ongoing</c>, <c>regressed</c>, <c>escalating</c>, <c>forever</c>… or null.</summary>
    [Id(12)]
    public string? Substatus { get; init; } = "new";

    [Id(13)]
    public string StatusDetailsJson { get; init; } = "{}";

    [Id(14)]
    public required DateTimeOffset FirstSeen { get; init; }

    [Id(15)]
    public required DateTimeOffset LastSeen { get; init; }

    [Id(16)]
    public long TimesSeen { get; init; }

    [Id(17)]
    public long UserCount { get; init; }

    [Id(18)]
    public string? FirstRelease { get; init; }

    [Id(19)]
    public string? LastRelease { get; init; }

    /// <summary>Main exception type and value (for <c>error.type:</c> / <c>error.value:</c> search).</summary>
    [Id(20)]
    public string? ErrorType { get; init; }

    [Id(21)]
    public string? ErrorValue { get; init; }

    /// <summary>Free-text search material: title, message and culprit.</summary>
    [Id(22)]
    public string SearchText { get; init; } = "";
}
