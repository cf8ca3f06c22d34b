namespace Grains.Runtime.Streams;

/// <summary>
/// Grain state that records the highest stream offset whose effects it holds. Because the offset is
/// written in the same state write as the effects, a redelivered item is recognised and skipped:
/// delivery is at least once, effects exactly once.
/// </summary>
public interface IStreamCursorState
{
    /// <summary>The highest offset applied; 0 before the first item.</summary>
    long LastAppliedOffset { get; set; }
}
