using System.Text.Json;
using System.Text.Json.Serialization;
using Grains.Monitoring.Issues;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;

namespace Grains.Monitoring;

/// <summary>
/// Source-generated serialization of the monitoring grains' arguments and results, for calls that
/// cross silos. Fields are included so value tuples (<c>AllocateIssueAsync</c>) keep their items.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, IncludeFields = true)]
[JsonSerializable(typeof(ProjectRecord))]
[JsonSerializable(typeof(ProjectUpdate))]
[JsonSerializable(typeof(ProjectKeyRecord))]
[JsonSerializable(typeof(IssueRecord))]
[JsonSerializable(typeof(IssueStatusUpdate))]
[JsonSerializable(typeof(ValueTuple<long, long>))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(bool?))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
public sealed partial class MonitoringGrainJsonContext : JsonSerializerContext;
