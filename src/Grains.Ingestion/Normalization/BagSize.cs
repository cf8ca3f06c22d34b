namespace Grains.Ingestion.Normalization;

/// <summary>
/// Relay's databag trimming sizes (<c>BagSize</c>): the maximum nesting depth and the approximate
/// JSON size in bytes a free-form value (extra, contexts, request body, …) may keep.
/// </summary>
internal readonly record struct BagSize(int MaxDepth, int MaxBytes)
{
    public static readonly BagSize Medium = new(5, 2048);
    public static readonly BagSize Large = new(7, 8192);
    public static readonly BagSize Larger = new(7, 16384);
    public static readonly BagSize Massive = new(7, 262144);
}
