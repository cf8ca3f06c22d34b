using System.Text.Json;

namespace Grains.Server.Api.Models;

/// <summary>What a bulk issue update answers: the fields it changed, as Sentry's <c>update_groups</c> does.</summary>
internal sealed record StatusChangeDto(string Status, string? Substatus, JsonElement StatusDetails, object? Inbox);
