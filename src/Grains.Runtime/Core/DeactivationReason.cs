namespace Grains.Runtime;

/// <summary>Why an activation is being deactivated.</summary>
public enum DeactivationReason
{
    /// <summary>The activation was idle for longer than the collection age.</summary>
    Idle,

    /// <summary>The grain called <c>DeactivateOnIdle()</c>.</summary>
    Requested,

    /// <summary>A state write was fenced by a newer writer (stale ETag).</summary>
    InconsistentState,

    /// <summary>The silo is shutting down or handing the grain's partition over.</summary>
    ShuttingDown,
}
