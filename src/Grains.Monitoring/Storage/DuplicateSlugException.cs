namespace Grains.Monitoring.Storage;

/// <summary>A slug is already taken (the API answers 409).</summary>
public sealed class DuplicateSlugException(string kind, string slug)
    : Exception($"A {kind} with the slug '{slug}' already exists.")
{
    /// <summary>What the slug names: <c>organization</c> or <c>project</c>.</summary>
    public string Kind { get; } = kind;

    public string Slug { get; } = slug;
}
