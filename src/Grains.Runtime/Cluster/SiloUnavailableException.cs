namespace Grains.Runtime.Cluster;

/// <summary>A silo could not be reached (connection refused or reset before the call was sent); the call did not run.</summary>
public sealed class SiloUnavailableException(string address, Exception? inner = null)
    : Exception($"Silo {address} could not be reached.", inner)
{
    /// <summary>The address that was tried.</summary>
    public string Address { get; } = address;
}
