namespace Grains.Server.Api.Models;

/// <summary>A release as issues and events reference it.</summary>
internal sealed record ReleaseRefDto(string Version, string ShortVersion);
