namespace Grains.Monitoring.Storage;

/// <summary>A page of items and the cursor of the next page (null at the end).</summary>
public sealed record ItemPage(IReadOnlyList<ItemRecord> Items, string? NextCursor);
