namespace Grains.Server.Api.Models;

/// <summary>Sentry's error body.</summary>
internal sealed record ErrorDto(string Detail);
