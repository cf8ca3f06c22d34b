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
            await issues.SaveAsync(Snapshot(s, changes, s.LastAppliedOffset));
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
        await issues.SaveAsync(Snapshot(s, new SnapshotChanges(), 0));
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
            changes.AddTag(key, value, facts.Timestamp);
        }

        var seconds = facts.Timestamp.ToUnixTimeSeconds();
        var hour = seconds - (seconds % 3600);
        changes.Hours[hour] = changes.Hours.GetValueOrDefault(hour) + 1;
    }

    private IssueSnapshot Snapshot(IssueState s, SnapshotChanges changes, long offset)
    {
        // Hash links are written when they change (first event, implied merge), not with every event.
        var hashes = changes.HashesChanged ? s.Hashes.Select(hash => (hash, s.GroupingConfigId)).ToList() : [];
        var tags = changes.Tags.Select(t => new IssueTagValue(t.Key.Key, t.Key.Value, t.Value.Count, t.Value.First, t.Value.Last)).ToList();
        var hours = changes.Hours.Select(h => new IssueCountBucket(h.Key, h.Value)).ToList();
        return new IssueSnapshot(ToRecord(s), hashes, tags, hours, offset);
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

    /// <summary>What a batch added: the deltas of its snapshot.</summary>
    private sealed class SnapshotChanges
    {
        public int Applied { get; set; }

        public bool HashesChanged { get; set; }

        public Dictionary<(string Key, string Value), (long Count, DateTimeOffset First, DateTimeOffset Last)> Tags { get; } = [];

        public Dictionary<long, long> Hours { get; } = [];

        public void AddTag(string key, string value, DateTimeOffset seen)
        {
            Tags[(key, value)] = Tags.TryGetValue((key, value), out var counted)
                ? (counted.Count + 1, seen < counted.First ? seen : counted.First, seen > counted.Last ? seen : counted.Last)
                : (1, seen, seen);
        }
    }
}
