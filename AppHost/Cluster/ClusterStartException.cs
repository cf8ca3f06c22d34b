namespace Grains.AppHost.Cluster;

/// <summary>The local cluster could not start; the message says why, for the person at the console.</summary>
public sealed class ClusterStartException(string message, Exception? inner = null) : Exception(message, inner);
