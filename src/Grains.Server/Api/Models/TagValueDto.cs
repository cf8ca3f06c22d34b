namespace Grains.Server.Api.Models;

/// <summary>One value of a tag on an issue.</summary>
internal sealed record TagValueDto(string Key, string Name, string Value, long Count, string FirstSeen, string LastSeen);
