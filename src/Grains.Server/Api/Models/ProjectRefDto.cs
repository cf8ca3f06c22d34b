namespace Grains.Server.Api.Models;

/// <summary>The project inside an issue.</summary>
internal sealed record ProjectRefDto(string Id, string Name, string Slug, string? Platform);
