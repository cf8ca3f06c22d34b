using System.Text.Json.Serialization;

namespace Grains.Monitoring.Projects.Options;

/// <summary>Source-generated JSON for stored option values.</summary>
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(string))]
internal sealed partial class ProjectOptionJson : JsonSerializerContext;
