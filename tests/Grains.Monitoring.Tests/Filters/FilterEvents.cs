using System.Net;
using System.Text.Json.Nodes;
using Grains.Monitoring.Filters;

namespace Grains.Monitoring.Tests.Filters;

/// <summary>Normalized-event shapes for the filter tables.</summary>
internal static class FilterEvents
{
    public static FilterEvent Of(string json, string? client = null) =>
        new(JsonNode.Parse(json)!.AsObject(), client is null ? null : IPAddress.Parse(client));

    public static FilterEvent WithUserAgent(string agent) =>
        new(new JsonObject { ["request"] = new JsonObject { ["headers"] = new JsonArray(new JsonArray("User-Agent", agent)) } }, null);

    public static FilterEvent WithException(string? type, string? value, params string[] absPaths)
    {
        var exception = new JsonObject();
        if (type is not null)
        {
            exception["type"] = type;
        }

        if (value is not null)
        {
            exception["value"] = value;
        }

        if (absPaths.Length > 0)
        {
            exception["stacktrace"] = new JsonObject { ["frames"] = new JsonArray([.. absPaths.Select(p => (JsonNode?)new JsonObject { ["abs_path"] = p })]) };
        }

        // Relay reads the first exception; a second one must not matter.
        return new(new JsonObject { ["exception"] = new JsonObject { ["values"] = new JsonArray(exception, new JsonObject { ["type"] = "Other" }) } }, null);
    }
}
