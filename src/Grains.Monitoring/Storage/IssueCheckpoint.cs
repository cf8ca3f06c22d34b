namespace Grains.Monitoring.Storage;

/// <summary>
/// The issue grain's state (Orleans-serialized <c>IssueState</c>, with its last applied stream offset)
/// as the issue store keeps it in the issue's row, and its version: the number of states written there.
/// </summary>
/// <param name="State">The serialized state.</param>
/// <param name="Version">
/// Read: the stored version (1 or more). Written: the new version, which commits only over
/// <c>Version - 1</c> (an expected-version check like an ETag: 0 means no state was written in the row yet).
/// </param>
public sealed record IssueCheckpoint(byte[] State, long Version)
{
    /// <summary>The version the write expects to find stored.</summary>
    public long ExpectedVersion => Version - 1;
}
