using System.Text.Json;
using Grains.Monitoring.Events;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;
using Grains.Runtime;
using Grains.Runtime.Persistence;
using Grains.Runtime.Streams;

namespace Grains.Monitoring.Issues;

/// <inheritdoc cref="IIssueGrain"/>
/// <remarks>
/// A batch of events is applied in this order so that a crash at any point neither loses nor
/// double-counts an acknowledged event: (1) store the events (a redelivered one is recognised by its
/// stream offset, an SDK retry by its event id), (2) apply them to the in-memory state, (3) write the
/// query-store snapshot (absolute values, idempotent), (4) write the state with the last offset.
/// A crash before (4) redelivers the batch, which then recomputes the same values.
/// </remarks>
[ImplicitStreamSubscription(IngestedEvent.StreamNamespace)]
public sealed class IssueGrain(
    [PersistentState("issue")] IPersistentState<IssueState> state,
    IEventStore events,
    IIssueStore issues) : Grain, IIssueGrain, IStreamSubscriber
{
    private static readonly TimeSpan HourlyRetention = TimeSpan.FromDays(30);
    private static readonly TimeSpan DailyRetention = TimeSpan.FromDays(90);

    public Task<IssueRecord?> GetAsync() => Task.FromResult(state.State.Id == 0 ? null : ToRecord(state.State));

    public async Task OnNextBatchAsync(StreamBatch batch)
    {
        var s = state.State;
        var fresh = new List<(StreamItem Item, EventFacts Facts, ReadOnlyMemory<byte> Json)>(batch.Items.Count);
        foreach (var item in batch.Items)
        {
            if (item.Offset > s.LastAppliedOffset)
            {
                var (facts, json) = IngestedEvent.Decode(item.Payload);
                fresh.Add((item, facts, json));
            }
        }

        if (fresh.Count == 0)
        {
            return;
        }

        if (s.Id == 0)
        {
            var project = GrainFactory.GetGrain<IProjectGrain>(fresh[0].Facts.ProjectId);
            (s.Id, s.ShortNumber) = await project.AllocateIssueAsync();
            s.ProjectId = fresh[0].Facts.ProjectId;

            // Persist the identity before any event refers to it, so a crash cannot give the issue a second id.
            await state.WriteStateAsync();
        }

        var stored = await Task.WhenAll(fresh.Select(e => events.AppendAsync(new StoredEvent
        {
            ProjectId = s.ProjectId,
            EventId = e.Facts.EventId,
            IssueId = s.Id,
            Timestamp = e.Facts.Timestamp,
            Received = e.Facts.Received,
            StreamOffset = e.Item.Offset,
            Title = e.Facts.Title,
            Message = e.Facts.Message,
            Platform = e.Facts.Platform,
            Type = e.Facts.Type,
            Json = e.Json,
        })));

        var changes = new SnapshotChanges();
        for (var i = 0; i < fresh.Count; i++)
        {
            if (stored[i] != EventAppendResult.Duplicate)
            {
                Apply(s, fresh[i].Facts, changes);
            }
        }

        s.LastAppliedOffset = fresh[^1].Item.Offset;
        if (changes.Applied > 0)
        {
            Trim(s, fresh[^1].Facts.Received);
            await issues.SaveAsync(Snapshot(s, changes));
        }

        await state.WriteStateAsync();
    }

    public async Task<IssueRecord> UpdateStatusAsync(IssueStatusUpdate update)
    {
        var s = state.State;
        if (s.Id == 0)
        {
            throw new KeyNotFoundException($"Issue {GetPrimaryKeyString()} has no events.");
        }

        (s.Status, s.Substatus) = update.Status switch
        {
            "resolved" => ("resolved", (string?)null),
            "unresolved" => ("unresolved", update.Substatus ?? "ongoing"),
            "ignored" => ("ignored", update.Substatus ?? "archived_forever"),
            _ => throw new ArgumentException($"Unknown status '{update.Status}'; expected resolved, unresolved or ignored."),
        };
        s.StatusDetails = update.StatusDetails ?? [];
        await issues.SaveAsync(Snapshot(s, new SnapshotChanges()));
        await state.WriteStateAsync();
        return ToRecord(s);
    }

    public async Task DeleteAsync()
    {
        var s = state.State;
        if (s.Id != 0)
        {
            await events.DeleteByIssueAsync(s.Id);
            await issues.DeleteAsync(s.Id);
        }

        // Keep the stream position: items already applied must stay applied, the issue itself is gone.
        var offset = s.LastAppliedOffset;
        state.State = new IssueState { LastAppliedOffset = offset };
        await state.WriteStateAsync();
        DeactivateOnIdle();
    }

    private static void Apply(IssueState s, EventFacts facts, SnapshotChanges changes)
    {
        changes.Applied++;
        var first = s.TimesSeen == 0;
        if (first)
        {
            s.FirstSeen = facts.Timestamp;
            s.LastSeen = facts.Timestamp;
            s.FirstRelease = facts.Release;
            s.GroupingConfigId = facts.GroupingConfigId;
        }

        if (first || facts.Timestamp >= s.LastSeen)
        {
            // The newest event sets what the issue shows.
            s.LastSeen = facts.Timestamp;
            s.Title = facts.Title;
            s.Culprit = facts.Culprit;
            s.Type = facts.Type;
            s.Level = facts.Level;
            s.Platform = facts.Platform;
            s.Logger = facts.Logger;
            s.ErrorType = facts.ErrorType;
            s.ErrorValue = facts.ErrorValue;
            s.Filename = facts.Filename;
            s.Function = facts.Function;
            s.Message = facts.Message;
            s.LastRelease = facts.Release ?? s.LastRelease;
        }

        if (facts.Timestamp < s.FirstSeen)
        {
            s.FirstSeen = facts.Timestamp;
        }

        s.TimesSeen++;
        if (s.Status == "resolved")
        {
            // A plain resolve is regressed by any new event (release-aware resolution comes later).
            s.Status = "unresolved";
            s.Substatus = "regressed";
            s.StatusDetails = [];
        }

        foreach (var hash in facts.Hashes)
        {
            if (!s.Hashes.Contains(hash))
            {
                s.Hashes.Add(hash);
                changes.HashesChanged = true;
            }
        }

        if (facts.UserKey is not null)
        {
            s.Users.Add(facts.UserKey);
        }

        foreach (var (key, value) in facts.Tags)
        {
            if (!s.Tags.TryGetValue(key, out var tag))
            {
                s.Tags[key] = tag = new TagKeyState();
            }

            tag.Total++;
            if (tag.Values.TryGetValue(value, out var counted))
            {
                counted.Count++;
                counted.LastSeen = facts.Timestamp > counted.LastSeen ? facts.Timestamp : counted.LastSeen;
                counted.FirstSeen = facts.Timestamp < counted.FirstSeen ? facts.Timestamp : counted.FirstSeen;
            }
            else if (tag.Values.Count < TagKeyState.MaxValues)
            {
                tag.Values[value] = new TagValueState { Count = 1, FirstSeen = facts.Timestamp, LastSeen = facts.Timestamp };
            }

            changes.TagKeys.Add(key);
            changes.TagValues.Add((key, value));
        }

        var seconds = facts.Timestamp.ToUnixTimeSeconds();
        var hour = seconds - (seconds % 3600);
        s.Hourly[hour] = s.Hourly.GetValueOrDefault(hour) + 1;
        var day = seconds - (seconds % 86400);
        s.Daily[day] = s.Daily.GetValueOrDefault(day) + 1;
        changes.Hours.Add(hour);
    }

    private static void Trim(IssueState s, DateTimeOffset now)
    {
        var hourCutoff = (now - HourlyRetention).ToUnixTimeSeconds();
        var dayCutoff = (now - DailyRetention).ToUnixTimeSeconds();
        foreach (var hour in s.Hourly.Keys.Where(h => h < hourCutoff).ToList())
        {
            s.Hourly.Remove(hour);
        }

        foreach (var day in s.Daily.Keys.Where(d => d < dayCutoff).ToList())
        {
            s.Daily.Remove(day);
        }
    }

    private IssueSnapshot Snapshot(IssueState s, SnapshotChanges changes)
    {
        var tagValues = new List<IssueTagValue>(changes.TagValues.Count);
        foreach (var (key, value) in changes.TagValues)
        {
            if (s.Tags[key].Values.TryGetValue(value, out var counted))
            {
                tagValues.Add(new IssueTagValue(key, value, counted.Count, counted.FirstSeen, counted.LastSeen));
            }
        }

        var keyTotals = changes.TagKeys.Select(key => (key, s.Tags[key].Total, (long)s.Tags[key].Values.Count)).ToList();
        var hours = changes.Hours.Select(hour => new IssueCountBucket(hour, s.Hourly.GetValueOrDefault(hour))).ToList();
        // Hash links are written when they change (first event, implied merge), not with every event.
        var hashes = changes.HashesChanged ? s.Hashes.Select(hash => (hash, s.GroupingConfigId)).ToList() : [];
        return new IssueSnapshot(ToRecord(s), hashes, tagValues, keyTotals, hours);
    }

    private IssueRecord ToRecord(IssueState s) => new()
    {
        Id = s.Id,
        ProjectId = s.ProjectId,
        GrainKey = GetPrimaryKeyString(),
        ShortNumber = s.ShortNumber,
        Title = s.Title,
        Culprit = s.Culprit,
        Level = s.Level,
        Platform = s.Platform,
        Logger = s.Logger,
        Type = s.Type,
        MetadataJson = JsonSerializer.Serialize(Metadata(s), MonitoringJson.Options),
        Status = s.Status,
        Substatus = s.Substatus,
        StatusDetailsJson = JsonSerializer.Serialize(s.StatusDetails, MonitoringJson.Options),
        FirstSeen = s.FirstSeen,
        LastSeen = s.LastSeen,
        TimesSeen = s.TimesSeen,
        UserCount = s.Users.Count,
        FirstRelease = s.FirstRelease,
        LastRelease = s.LastRelease,
        ErrorType = s.ErrorType,
        ErrorValue = s.ErrorValue,
        SearchText = string.Join('\n', s.Title, s.Message, s.Culprit),
    };

    private static Dictionary<string, string> Metadata(IssueState s)
    {
        var metadata = new Dictionary<string, string>();
        if (s.Type == "error")
        {
            Add("type", s.ErrorType);
            Add("value", s.ErrorValue);
            Add("filename", s.Filename);
            Add("function", s.Function);
        }
        else
        {
            metadata["title"] = s.Title;
        }

        return metadata;

        void Add(string key, string? value)
        {
            if (value is not null)
            {
                metadata[key] = value;
            }
        }
    }

    private sealed class SnapshotChanges
    {
        public int Applied { get; set; }

        public bool HashesChanged { get; set; }

        public HashSet<string> TagKeys { get; } = new(StringComparer.Ordinal);

        public HashSet<(string Key, string Value)> TagValues { get; } = [];

        public HashSet<long> Hours { get; } = [];
    }
}
