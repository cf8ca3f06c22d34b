namespace Grains.Server.Api.Models;

/// <summary>One tag key of an issue with its top values.</summary>
internal sealed record TagKeyDto(string Key, string Name, long TotalValues, long UniqueValues, IReadOnlyList<TagValueDto> TopValues);
