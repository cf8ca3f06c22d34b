using System.Text;
using System.Text.Json.Nodes;
using Grains.Monitoring.Storage;

namespace Grains.Server.Tests.Api;

/// <summary>
/// Writes issues and events straight into the stores (bypassing ingest and grains), so list, sort,
/// search, stats and paging are tested on exactly known values.
/// </summary>
public static class Seed
{
    public const string Config = "newstyle:2026-01-20";

    /// <summary>The issue id the project grain would allocate for <paramref name="number"/> (so short ids resolve).</summary>
    public static long IssueId(long projectId, long number) => (projectId * 1_000_000_000L) + number;

    public static IssueRecord Issue(long projectId, long number, string title, DateTimeOffset firstSeen, DateTimeOffset lastSeen, long timesSeen, long userCount) => new()
    {
        Id = IssueId(projectId, number),
        ProjectId = projectId,
        GrainKey = $"{projectId}:{Hash(projectId, number)}",
        ShortNumber = number,
        Title = title,
        Culprit = "app/handlers in run",
        Level = "error",
        Platform = "python",
        Type = "error",
        MetadataJson = $"{{\"type\":\"ValueError\",\"value\":\"{title}\"}}",
        FirstSeen = firstSeen,
        LastSeen = lastSeen,
        TimesSeen = timesSeen,
        UserCount = userCount,
        ErrorType = "ValueError",
        ErrorValue = title,
        SearchText = title,
    };

    public static string Hash(long projectId, long number) => $"{projectId:x8}{number:x24}";

    private static long s_offset;

    /// <summary>Saves <paramref name="issue"/> with tags (one value each) and hourly counts.</summary>
    public static Task SaveAsync(IIssueStore store, IssueRecord issue, IReadOnlyDictionary<string, string>? tags = null, IReadOnlyList<IssueCountBucket>? hourly = null)
    {
        var values = (tags ?? new Dictionary<string, string>())
            .Select(t => new IssueTagValue(t.Key, t.Value, issue.TimesSeen, issue.FirstSeen, issue.LastSeen))
            .ToList();
        var hashes = new List<(string, string)> { (Hash(issue.ProjectId, issue.ShortNumber), Config) };
        return store.SaveAsync(new IssueSnapshot(issue, hashes, values, hourly ?? [], Interlocked.Increment(ref s_offset)));
    }

    public static Task<EventAppendResult> EventAsync(IEventStore store, IssueRecord issue, string eventId, DateTimeOffset timestamp, JsonObject? extra = null)
    {
        var evt = new JsonObject
        {
            ["event_id"] = eventId,
            ["timestamp"] = timestamp.ToUnixTimeMilliseconds() / 1000.0,
            ["platform"] = "python",
            ["level"] = "error",
            ["tags"] = new JsonArray(new JsonArray("environment", "production")),
            ["exception"] = new JsonObject
            {
                ["values"] = new JsonArray(new JsonObject { ["type"] = "ValueError", ["value"] = issue.Title }),
            },
            ["_grouping"] = new JsonObject
            {
                ["grouping_config"] = Config,
                ["hashes"] = new JsonArray(Hash(issue.ProjectId, issue.ShortNumber)),
                ["variants"] = new JsonObject(),
            },
        };
        foreach (var (key, value) in extra ?? [])
        {
            evt[key] = value?.DeepClone();
        }

        return store.AppendAsync(new StoredEvent
        {
            ProjectId = issue.ProjectId,
            EventId = eventId,
            IssueId = issue.Id,
            Timestamp = timestamp,
            Received = timestamp.AddSeconds(1),
            Title = issue.Title,
            Message = issue.Title,
            Platform = "python",
            Type = "error",
            Json = Encoding.UTF8.GetBytes(evt.ToJsonString()),
        });
    }
}
