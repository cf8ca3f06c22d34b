namespace Grains.Server.Api.Models;

/// <summary>Sentry's avatar object; Grains has letter avatars only.</summary>
internal sealed record AvatarDto(string AvatarType, string? AvatarUuid);
