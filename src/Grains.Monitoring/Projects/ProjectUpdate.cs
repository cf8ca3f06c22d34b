namespace Grains.Monitoring.Projects;

/// <summary>Fields of a project update; null leaves a field unchanged.</summary>
[GenerateSerializer, Alias("Grains.Monitoring.ProjectUpdate")]
public sealed record ProjectUpdate(
    [property: Id(0)] string? Name = null,
    [property: Id(1)] string? Slug = null,
    [property: Id(2)] string? Platform = null,
    [property: Id(3)] string? FingerprintRules = null,
    [property: Id(4)] string? StackTraceRules = null);
