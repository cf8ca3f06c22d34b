using System.Text.Json.Nodes;

namespace Grains.Server.Api.Models;

/// <summary>A grouping hash linked to an issue with the newest event that produced it.</summary>
internal sealed record HashDto(string Id, JsonObject? LatestEvent, bool MergedBySeer);
