namespace Grains.Monitoring.Issues;

/// <summary>Counts of one tag key on an issue.</summary>
public sealed class TagKeyState
{
    /// <summary>Most distinct values counted per key; further values count in <see cref="Total"/> only.</summary>
    public const int MaxValues = 1_000;

    public long Total { get; set; }

    public Dictionary<string, TagValueState> Values { get; set; } = new(StringComparer.Ordinal);
}
