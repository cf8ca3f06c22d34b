namespace Grains.Runtime.Cluster;

/// <summary>
/// A grain on another silo failed with an exception whose type this silo could not recreate; it
/// carries that type's name and the message.
/// </summary>
public sealed class RemoteGrainException(string remoteType, string message) : Exception(message)
{
    /// <summary>The full name of the exception type thrown on the other silo.</summary>
    public string RemoteType { get; } = remoteType;
}
