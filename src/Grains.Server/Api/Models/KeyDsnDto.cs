namespace Grains.Server.Api.Models;

/// <summary>The DSNs of a key: <c>public</c> for SDKs, <c>secret</c> for legacy clients.</summary>
internal sealed record KeyDsnDto(string Public, string Secret);
