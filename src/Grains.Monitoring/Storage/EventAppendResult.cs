namespace Grains.Monitoring.Storage;

/// <summary>What appending an event found.</summary>
public enum EventAppendResult
{
    /// <summary>Stored now.</summary>
    Stored,

    /// <summary>Already stored from the same stream offset (a redelivery): count it, it was not counted durably before.</summary>
    Redelivered,

    /// <summary>The project already has an event with this id from another delivery (an SDK retry): do not count it again.</summary>
    Duplicate,
}
