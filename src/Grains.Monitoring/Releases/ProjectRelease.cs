namespace Grains.Monitoring.Releases;

/// <summary>A release as one project has seen it (all environments together).</summary>
/// <param name="Version">The release name as events carry it.</param>
/// <param name="FirstSeen">The received time of its first event in the project.</param>
/// <param name="LastSeen">The received time of its latest event in the project.</param>
[GenerateSerializer, Alias("Grains.Monitoring.ProjectRelease")]
public sealed record ProjectRelease(
    [property: Id(0)] string Version,
    [property: Id(1)] DateTimeOffset FirstSeen,
    [property: Id(2)] DateTimeOffset LastSeen);
