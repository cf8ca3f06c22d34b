using Grains.Monitoring.Aggregates;
using Grains.Runtime.Streams;

namespace Grains.Monitoring.Issues;

/// <summary>
/// The persistent state of an issue grain. The stream offset of the last applied event is written
/// with the counts, which makes a redelivered event a no-op (exactly-once effects).
/// </summary>
public sealed class IssueState : IStreamCursorState
{
    public long LastAppliedOffset { get; set; }

    /// <summary>0 until the first event created the issue.</summary>
    public long Id { get; set; }

    public long ProjectId { get; set; }

    public long ShortNumber { get; set; }

    public List<string> Hashes { get; set; } = [];

    public string GroupingConfigId { get; set; } = "";

    public string Title { get; set; } = "";

    public string Culprit { get; set; } = "";

    public string Type { get; set; } = "error";

    public string Level { get; set; } = "error";

    public string Platform { get; set; } = "other";

    public string? Logger { get; set; }

    public string? ErrorType { get; set; }

    public string? ErrorValue { get; set; }

    public string? Filename { get; set; }

    public string? Function { get; set; }

    public string Message { get; set; } = "";

    public string Status { get; set; } = "unresolved";

    public string? Substatus { get; set; } = "new";

    public Dictionary<string, object?> StatusDetails { get; set; } = [];

    public DateTimeOffset FirstSeen { get; set; }

    public DateTimeOffset LastSeen { get; set; }

    public long TimesSeen { get; set; }

    public string? FirstRelease { get; set; }

    public string? LastRelease { get; set; }

    public UserCounter Users { get; set; } = new();

    // Tag value counts and hourly buckets are not kept here: each turn adds its deltas to the query
    // store, guarded by the stream offset (see IssueSnapshot), so the state stays small however many
    // distinct tag values an issue collects.
}
