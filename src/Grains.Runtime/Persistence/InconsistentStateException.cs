namespace Grains.Runtime.Persistence;

/// <summary>
/// A state write presented an ETag that is no longer the stored one: another writer (typically a
/// newer activation of the same grain) replaced the state. The activation that sees this
/// deactivates itself; re-read and re-evaluate rather than blindly retrying.
/// </summary>
public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException(string stateName, GrainId grainId, string? expectedETag, string? storedETag)
        : base($"State '{stateName}' of grain {grainId} was written by someone else: expected ETag '{expectedETag ?? "(none)"}', stored ETag '{storedETag ?? "(none)"}'.")
    {
        StateName = stateName;
        GrainId = grainId;
        ExpectedETag = expectedETag;
        StoredETag = storedETag;
    }

    /// <summary>The state name of the failed write.</summary>
    public string StateName { get; }

    /// <summary>The grain whose state was written.</summary>
    public GrainId GrainId { get; }

    /// <summary>The ETag the writer presented.</summary>
    public string? ExpectedETag { get; }

    /// <summary>The ETag in storage at the time of the write (<c>null</c> if no record or unknown).</summary>
    public string? StoredETag { get; }
}
