namespace Grains.IngestBench;

/// <summary>What a flood got back: answers by status (0 = no answer) over its duration.</summary>
public sealed record FloodResult(long Ok, long Limited, long Other, TimeSpan Duration)
{
    public long Answered => Ok + Limited + Other;

    public double AnsweredPerSecond => Answered / Duration.TotalSeconds;

    public double LimitedPerSecond => Limited / Duration.TotalSeconds;
}
