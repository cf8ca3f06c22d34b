using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grains.Server.Api.Models;

/// <summary>
/// Sentry's issue (<c>GroupSerializer</c> / <c>StreamGroupSerializer</c>): <c>count</c> is a string,
/// <c>userCount</c> a number, times ISO 8601 UTC; <c>stats</c> only when a stats period was asked for.
/// </summary>
internal record IssueDto
{
    public required string Id { get; init; }

    public required string ShortId { get; init; }

    public required string Title { get; init; }

    public required string Culprit { get; init; }

    public required string Permalink { get; init; }

    public string? ShareId { get; init; }

    public string? Logger { get; init; }

    public required string Level { get; init; }

    public required string Status { get; init; }

    public string? Substatus { get; init; }

    public required JsonElement StatusDetails { get; init; }

    public bool IsPublic { get; init; }

    public required string Platform { get; init; }

    public required ProjectRefDto Project { get; init; }

    public required string Type { get; init; }

    public string IssueType { get; init; } = "error";

    public string IssueCategory { get; init; } = "error";

    public required string Priority { get; init; }

    public string? PriorityLockedAt { get; init; }

    public required JsonElement Metadata { get; init; }

    public int NumComments { get; init; }

    public object? AssignedTo { get; init; }

    public bool IsBookmarked { get; init; }

    public bool IsSubscribed { get; init; }

    public object? SubscriptionDetails { get; init; }

    public bool HasSeen { get; init; }

    public IReadOnlyList<object> Annotations { get; init; } = [];

    public bool IsUnhandled { get; init; }

    public required string Count { get; init; }

    public required long UserCount { get; init; }

    public required string FirstSeen { get; init; }

    public required string LastSeen { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, IReadOnlyList<long[]>>? Stats { get; init; }
}
