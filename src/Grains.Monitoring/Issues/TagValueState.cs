namespace Grains.Monitoring.Issues;

/// <summary>How often one tag value occurred on an issue, and when first and last.</summary>
public sealed class TagValueState
{
    public long Count { get; set; }

    public DateTimeOffset FirstSeen { get; set; }

    public DateTimeOffset LastSeen { get; set; }
}
