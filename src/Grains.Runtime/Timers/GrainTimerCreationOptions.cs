namespace Grains.Runtime.Timers;

/// <summary>How a grain timer ticks.</summary>
public sealed class GrainTimerCreationOptions
{
    /// <summary>Delay before the first tick. Default: the period.</summary>
    public TimeSpan? DueTime { get; set; }

    /// <summary>Delay between the end of one tick and the start of the next. Required; must be positive.</summary>
    public TimeSpan Period { get; set; }

    /// <summary>Whether ticks may interleave with other turns of the activation. Default: false.</summary>
    public bool Interleave { get; set; }
}
