using System.Text.Json.Nodes;

namespace Grains.Server.Api.Filters;

/// <summary>One inbound filter of a project as Sentry lists it.</summary>
/// <param name="Id">Sentry's filter id (<c>localhost</c>, <c>legacy-browsers</c>, …).</param>
/// <param name="Active">A boolean, or for <c>legacy-browsers</c> the list of enabled subfilters (or false).</param>
/// <param name="Description">What the filter drops.</param>
/// <param name="Name">The filter's title.</param>
internal sealed record InboundFilterState(string Id, JsonNode? Active, string Description, string Name)
{
    /// <summary>Sentry's JSON of the filter (<c>id</c>, <c>active</c>, <c>description</c>, <c>name</c>).</summary>
    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["active"] = Active?.DeepClone(),
        ["description"] = Description,
        ["name"] = Name,
    };
}
