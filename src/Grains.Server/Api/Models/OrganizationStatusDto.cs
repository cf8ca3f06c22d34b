namespace Grains.Server.Api.Models;

/// <summary>An organization's status (<c>{"id": "active", "name": "active"}</c>).</summary>
internal sealed record OrganizationStatusDto(string Id, string Name);
