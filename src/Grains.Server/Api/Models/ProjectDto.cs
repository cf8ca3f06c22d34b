using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Grains.Server.Api.Models;

/// <summary>
/// Sentry's project: the summary fields of list items, plus (detail only, omitted in lists) the
/// organization and the grouping settings of <c>DetailedProjectSerializer</c>.
/// </summary>
internal sealed record ProjectDto
{
    public required string Id { get; init; }

    public required string Slug { get; init; }

    public required string Name { get; init; }

    public string? Platform { get; init; }

    public required string DateCreated { get; init; }

    public bool IsBookmarked { get; init; }

    public bool IsMember { get; init; } = true;

    public bool HasAccess { get; init; } = true;

    public string Status { get; init; } = "active";

    public IReadOnlyList<string> Features { get; init; } = [];

    public string? FirstEvent { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OrganizationDto? Organization { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? GroupingConfig { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FingerprintingRules { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? GroupingEnhancements { get; init; }

    /// <summary>Detail only: the project options Sentry's <c>format_options</c> echoes (<c>filters:blacklisted_ips</c>, …).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Options { get; init; }
}
