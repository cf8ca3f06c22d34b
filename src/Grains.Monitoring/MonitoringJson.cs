using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grains.Monitoring;

/// <summary>The JSON settings of Grains' own payloads (stream items, grain state): camelCase, nulls omitted.</summary>
public static class MonitoringJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
