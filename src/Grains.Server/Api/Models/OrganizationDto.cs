namespace Grains.Server.Api.Models;

/// <summary>Sentry's organization (<c>OrganizationSerializer</c>).</summary>
internal sealed record OrganizationDto(
    string Id,
    string Slug,
    string Name,
    string DateCreated,
    OrganizationStatusDto Status,
    bool IsEarlyAdopter,
    bool Require2FA,
    AvatarDto Avatar,
    IReadOnlyList<string> Features);
