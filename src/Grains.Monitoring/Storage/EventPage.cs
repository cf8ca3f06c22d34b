namespace Grains.Monitoring.Storage;

/// <summary>A page of events and the cursor of the next page (null at the end).</summary>
public sealed record EventPage(IReadOnlyList<StoredEvent> Events, string? NextCursor);
