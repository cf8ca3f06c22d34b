namespace Grains.Monitoring.Storage.Tests;

/// <summary>Builders for issue snapshots.</summary>
internal static class Issues
{
    public static readonly DateTimeOffset Now = new(2025, 3, 10, 12, 30, 0, TimeSpan.Zero);

    public static IssueRecord Record(long id, long projectId = 1, Func<IssueRecord, IssueRecord>? change = null)
    {
        var record = new IssueRecord
        {
            Id = id,
            ProjectId = projectId,
            GrainKey = $"{projectId}:hash{id}",
            ShortNumber = id,
            Title = $"Error {id}",
            Culprit = "app.js in handler",
            FirstSeen = Now.AddHours(-48),
            LastSeen = Now.AddMinutes(-id),
            TimesSeen = id,
            UserCount = 1,
            SearchText = $"Error {id} app.js in handler",
        };
        return change is null ? record : change(record);
    }

    private static long s_offset;

    /// <summary>A snapshot whose deltas are <paramref name="tags"/>, at a stream offset no snapshot used before.</summary>
    public static IssueSnapshot Snapshot(IssueRecord issue, params IssueTagValue[] tags) => new(
        issue,
        [($"hash{issue.Id}", "newstyle:2026-01-20")],
        tags,
        [],
        Interlocked.Increment(ref s_offset));

    public static IssueTagValue Tag(string key, string value, long count = 1) => new(key, value, count, Now.AddHours(-2), Now.AddHours(-1));
}
