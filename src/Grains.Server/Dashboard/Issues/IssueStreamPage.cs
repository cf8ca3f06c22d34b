using Grains.Monitoring.Storage;

namespace Grains.Server.Dashboard.Issues;

/// <summary>What one read of the issue stream found.</summary>
/// <param name="Projects">The organization's projects (for the project picker).</param>
/// <param name="Environments">The environments known from releases, and the selected one.</param>
/// <param name="Rows">The page's issues, in order.</param>
/// <param name="PreviousCursor">The previous page's cursor, or null.</param>
/// <param name="NextCursor">The next page's cursor, or null.</param>
/// <param name="Error">Why nothing could be listed (a malformed search or cursor), else null.</param>
/// <param name="Now">When it was read (relative times of the rows are measured from it).</param>
internal sealed record IssueStreamPage(
    IReadOnlyList<ProjectRecord> Projects,
    IReadOnlyList<string> Environments,
    IReadOnlyList<IssueStreamRow> Rows,
    string? PreviousCursor,
    string? NextCursor,
    string? Error,
    DateTimeOffset Now);
