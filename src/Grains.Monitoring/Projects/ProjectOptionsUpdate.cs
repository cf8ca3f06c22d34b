using Grains.Monitoring.Projects.Options;

namespace Grains.Monitoring.Projects;

/// <summary>The outcome of <see cref="IProjectGrain.UpdateOptionsAsync"/>: the options after the change, or the errors per key (nothing changed then).</summary>
[GenerateSerializer, Immutable, Alias("Grains.Monitoring.ProjectOptionsUpdate")]
public sealed record ProjectOptionsUpdate(
    [property: Id(0)] ProjectOptions? Options,
    [property: Id(1)] IReadOnlyDictionary<string, string> Errors)
{
    public bool IsValid => Options is not null;
}
