namespace Grains.Monitoring.Storage;

/// <summary>A slug is already taken (the API answers 409). It crosses grain calls, so it is serializable with stable ids.</summary>
[GenerateSerializer, Alias("Grains.Monitoring.DuplicateSlugException")]
public sealed class DuplicateSlugException : Exception
{
    public DuplicateSlugException(string kind, string slug)
        : base($"A {kind} with the slug '{slug}' already exists.")
    {
        Kind = kind;
        Slug = slug;
    }

    /// <summary>What the slug names: <c>organization</c> or <c>project</c>.</summary>
    [Id(0)]
    public string Kind { get; }

    [Id(1)]
    public string Slug { get; }
}
