using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grains.Runtime.Cluster;

/// <summary>Source-generated serialization of the transport's own messages.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RemoteCallError))]
[JsonSerializable(typeof(MovedAnswer))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;
