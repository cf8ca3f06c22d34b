using Grains.Monitoring.Aggregates;
using Grains.Monitoring.Issues.Workflow;

namespace Grains.Monitoring.Issues;

/// <summary>
/// The persistent state of an issue grain (Orleans serialization: field ids never change, new
/// fields take new ids, so a rolling upgrade reads the state of the previous version). The stream offset of the last applied event is written
/// with the counts, which makes a redelivered event a no-op (exactly-once effects).
/// </summary>
[GenerateSerializer, Alias("Grains.Monitoring.IssueState")]
public sealed class IssueState
{
    [Id(0)]
    public long LastAppliedOffset { get; set; }

    /// <summary>0 until the first event created the issue.</summary>
    [Id(1)]
    public long Id { get; set; }

    [Id(2)]
    public long ProjectId { get; set; }

    [Id(3)]
    public long ShortNumber { get; set; }

    [Id(4)]
    public List<string> Hashes { get; set; } = [];

    [Id(5)]
    public string GroupingConfigId { get; set; } = "";

    [Id(6)]
    public string Title { get; set; } = "";

    [Id(7)]
    public string Culprit { get; set; } = "";

    [Id(8)]
    public string Type { get; set; } = "error";

    [Id(9)]
    public string Level { get; set; } = "error";

    [Id(10)]
    public string Platform { get; set; } = "other";

    [Id(11)]
    public string? Logger { get; set; }

    [Id(12)]
    public string? ErrorType { get; set; }

    [Id(13)]
    public string? ErrorValue { get; set; }

    [Id(14)]
    public string? Filename { get; set; }

    [Id(15)]
    public string? Function { get; set; }

    [Id(16)]
    public string Message { get; set; } = "";

    [Id(17)]
    public string Status { get; set; } = "unresolved";

    [Id(18)]
    public string? Substatus { get; set; } = "new";

    [Id(19)]
    public string StatusDetailsJson { get; set; } = "{}";

    [Id(20)]
    public DateTimeOffset FirstSeen { get; set; }

    [Id(21)]
    public DateTimeOffset LastSeen { get; set; }

    [Id(22)]
    public long TimesSeen { get; set; }

    [Id(23)]
    public string? FirstRelease { get; set; }

    [Id(24)]
    public string? LastRelease { get; set; }

    [Id(25)]
    public UserCounter Users { get; set; } = new();

    /// <summary>The release-based resolution while resolved in a release or the next one; null for a plain resolve (Ids 26–39: issue workflow).</summary>
    [Id(26)]
    public IssueResolution? Resolution { get; set; }

    /// <summary>The archive's conditions while ignored with any; null for "forever".</summary>
    [Id(27)]
    public IssueSnooze? Snooze { get; set; }

    /// <summary>Windowed event and user counts (bounded, see <see cref="IssueRates"/>).</summary>
    [Id(28)]
    public IssueRates Rates { get; set; } = new();

    /// <summary>When the status or substatus last changed (null: at first seen); new/regressed/escalating become ongoing a week after it.</summary>
    [Id(29)]
    public DateTimeOffset? SubstatusSince { get; set; }

    /// <summary>
    /// When each alert rule last fired for this issue: the received time of its event (Ids 40–49: alert
    /// rules). The per (rule, issue) throttle reads it; written with the offset, so a redelivered batch decides as before.
    /// </summary>
    [Id(40)]
    public Dictionary<long, DateTimeOffset> RuleLastFired { get; set; } = [];

    /// <summary>
    /// The environments the issue has seen (first seen for a rule with an environment is the issue's
    /// first event there), at most <see cref="Grains.Monitoring.Alerts.Evaluation.IssueAlerts.MaxEnvironments"/>.
    /// </summary>
    [Id(41)]
    public HashSet<string> Environments { get; set; } = [];

    /// <summary>The due time last written to the workflow store (null: none); a turn without releases or activities skips the write when it is unchanged.</summary>
    [Id(30)]
    public DateTimeOffset? WrittenDue { get; set; }

    /// <summary>Whether <see cref="WrittenDue"/> was written at all (a new issue always writes its first due time).</summary>
    [Id(31)]
    public bool DueWritten { get; set; }

    // Tag value counts and hourly buckets are not kept here: each turn adds its deltas to the query
    // store, guarded by the stream offset (see IssueSnapshot), so the state stays small however many
    // distinct tag values an issue collects.
}
