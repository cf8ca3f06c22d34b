namespace Grains.Monitoring.Storage;

/// <summary>An issue list request, as the REST API receives it.</summary>
public sealed record IssueQuery
{
    /// <summary>The projects to list from (never empty: the API resolves the organization's projects).</summary>
    public required IReadOnlyList<long> ProjectIds { get; init; }

    /// <summary>Sentry search syntax; null or empty means <c>is:unresolved</c>.</summary>
    public string? Query { get; init; }

    /// <summary>Only issues seen in one of these environments (empty: any).</summary>
    public IReadOnlyList<string> Environments { get; init; } = [];

    /// <summary><c>date</c> (last seen, default), <c>new</c> (first seen), <c>freq</c> (times seen), <c>user</c> (user count).</summary>
    public string Sort { get; init; } = "date";

    /// <summary>1..100; default 25.</summary>
    public int Limit { get; init; } = 25;

    /// <summary>Opaque cursor from a previous page.</summary>
    public string? Cursor { get; init; }

    /// <summary>"Now" for relative search terms (<c>age:-24h</c>).</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;
}
