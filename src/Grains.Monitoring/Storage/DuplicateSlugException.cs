namespace Grains.Monitoring.Storage;

/// <summary>A slug is already taken (the API answers 409).</summary>
public sealed class DuplicateSlugException(string kind, string slug)
    : Exception($"A {kind} with the slug '{slug}' already exists.")
{
    public string Slug { get; } = slug;
}
