namespace Grains.Monitoring.Storage;

/// <summary>An organization.</summary>
public sealed record OrganizationRecord(long Id, string Slug, string Name, DateTimeOffset DateCreated);
