using System.Text.Json.Serialization;

namespace Grains.Runtime.Cluster;

/// <summary>Settings of the silo-to-silo transport beside <see cref="ClusterOptions"/>.</summary>
public sealed class ClusterTransportOptions
{
    /// <summary>
    /// Source-generated JSON contexts for the argument and result types of grain interfaces; types
    /// they do not cover are serialized by reflection. Empty by default.
    /// </summary>
    public IList<JsonSerializerContext> SerializerContexts { get; } = [];

    /// <summary>Most bytes a call or answer body may have. Default 16 MiB.</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long a connection attempt to another silo may take before it counts as unreachable. Default 2 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
