namespace Grains.Monitoring.Storage;

/// <summary>A page of issues with the opaque cursors of the neighbouring pages (null when there is none).</summary>
public sealed record IssuePage(IReadOnlyList<IssueRecord> Issues, string? PreviousCursor, string? NextCursor);
