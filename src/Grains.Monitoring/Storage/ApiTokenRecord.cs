namespace Grains.Monitoring.Storage;

/// <summary>An API token; only the SHA-256 of the token is stored.</summary>
public sealed record ApiTokenRecord(long Id, string Name, string TokenHash, DateTimeOffset DateCreated);
