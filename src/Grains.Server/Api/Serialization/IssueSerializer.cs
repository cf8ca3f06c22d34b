using System.Globalization;
using System.Text.Json;
using Grains.Monitoring.Storage;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Models;

namespace Grains.Server.Api.Serialization;

/// <summary>Issues in Sentry's shapes (reference §5.2).</summary>
internal static class IssueSerializer
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static IssueDto Summary(IssueRecord issue, ProjectRecord project, string permalink, IReadOnlyDictionary<string, IReadOnlyList<long[]>>? stats) => new()
    {
        Id = DirectorySerializer.Id(issue.Id),
        ShortId = ShortIds.Format(project.Slug, issue.ShortNumber),
        Title = issue.Title,
        Culprit = issue.Culprit,
        Permalink = permalink,
        Logger = string.IsNullOrEmpty(issue.Logger) ? null : issue.Logger,
        Level = issue.Level,
        Status = issue.Status,
        Substatus = issue.Substatus,
        StatusDetails = ParseObject(issue.StatusDetailsJson),
        Platform = issue.Platform,
        Project = DirectorySerializer.ProjectRef(project),
        Type = issue.Type,
        Priority = Priority(issue.Level),
        Metadata = ParseObject(issue.MetadataJson),
        Count = issue.TimesSeen.ToString(CultureInfo.InvariantCulture),
        UserCount = issue.UserCount,
        FirstSeen = ApiTime.Format(issue.FirstSeen),
        LastSeen = ApiTime.Format(issue.LastSeen),
        Stats = stats,
    };

    public static IssueDetailDto Detail(IssueDto summary, IssueRecord issue, IReadOnlyList<IssueTagKey> tags) => new(summary)
    {
        Tags = [.. tags.Select(TagSerializer.Key)],
        FirstRelease = Release(issue.FirstRelease),
        LastRelease = Release(issue.LastRelease),
    };

    /// <summary>Sentry's priority from the level (without its severity model): fatal and error high, warning medium, else low.</summary>
    public static string Priority(string level) => level switch
    {
        "fatal" or "error" => "high",
        "warning" => "medium",
        _ => "low",
    };

    /// <summary>Store buckets as Sentry's <c>[unixSeconds, count]</c> pairs.</summary>
    public static IReadOnlyList<long[]> Buckets(IReadOnlyList<(long Start, long Count)> buckets) =>
        [.. buckets.Select(b => new[] { b.Start, b.Count })];

    /// <summary>A stored JSON object (metadata, status details); anything unreadable shows as <c>{}</c> rather than failing the list.</summary>
    public static JsonElement ParseObject(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return EmptyObject;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : EmptyObject;
        }
        catch (JsonException)
        {
            return EmptyObject;
        }
    }

    private static ReleaseRefDto? Release(string? version) => string.IsNullOrEmpty(version) ? null : new ReleaseRefDto(version, version);
}
