namespace Grains.Monitoring.Projects;

/// <summary>Fields of a project update; null leaves a field unchanged.</summary>
public sealed record ProjectUpdate(string? Name = null, string? Slug = null, string? Platform = null, string? FingerprintRules = null, string? StackTraceRules = null);
