using System.Collections.Immutable;

namespace Grains.Monitoring.Projects.Options;

/// <summary>
/// A snapshot of a project's options set away from their defaults: key → the value's JSON. Read a
/// typed value through its option (<see cref="ProjectOption{T}.Read"/>); an unset key reads as the default.
/// </summary>
[GenerateSerializer, Immutable, Alias("Grains.Monitoring.ProjectOptions")]
public sealed class ProjectOptions(ImmutableDictionary<string, string> values)
{
    public static ProjectOptions Empty { get; } = new(ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal));

    [Id(0)]
    public ImmutableDictionary<string, string> Values { get; } = values;

    /// <summary>The stored JSON of <paramref name="key"/>, or null when it is at its default.</summary>
    public string? Raw(string key) => Values.TryGetValue(key, out var json) ? json : null;

    /// <summary>Options as stored (key → JSON).</summary>
    public static ProjectOptions From(IReadOnlyDictionary<string, string> stored) =>
        stored.Count == 0 ? Empty : new(stored.ToImmutableDictionary(StringComparer.Ordinal));

    /// <summary>These options with <paramref name="changes"/> applied (null removes a key).</summary>
    public ProjectOptions With(IReadOnlyDictionary<string, string?> changes)
    {
        var builder = Values.ToBuilder();
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                builder.Remove(key);
            }
            else
            {
                builder[key] = value;
            }
        }

        return new ProjectOptions(builder.ToImmutable());
    }
}
