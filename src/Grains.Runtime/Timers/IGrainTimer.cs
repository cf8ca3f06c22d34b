namespace Grains.Runtime.Timers;

/// <summary>A grain timer; dispose it to stop ticking. It also stops when its activation is deactivated.</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Changes the due time and period (takes effect after a running tick completes).</summary>
    void Change(TimeSpan dueTime, TimeSpan period);
}
