using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Evaluation;
using Grains.Monitoring.Events;
using Grains.Monitoring.Issues.Activities;
using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Releases;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;
using Grains.Streaming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Grains.Monitoring.Issues;

/// <inheritdoc cref="IIssueGrain"/>
/// <remarks>
/// <para>
/// Events arrive through the implicit subscription to its stream in <see cref="IngestStream"/>, at
/// least once, each with its log offset as sequence token. A batch is applied in this order so that
/// a crash at any point neither loses nor double-counts an acknowledged event: (1) one read of which
/// of the batch's event ids the project already has, and from which stream offset
/// (<see cref="IIssueBatchStore.GetEventOffsetsAsync"/>): the same offset is a redelivery (applied again,
/// since the state that counted it was not written, but not inserted again), another offset an SDK retry
/// (skipped), and an id seen earlier in the same batch a retry too; (2) apply the rest to the in-memory
/// state and evaluate the alert rules; (3) one atomic commit per batch (<see cref="IIssueBatchStore.CommitAsync"/>):
/// the new event rows, the workflow part when the batch has one, the query-store snapshot (absolute values)
/// whose stream offset claims its tag and hourly deltas, the batch's alert firings, and the grain's state
/// with the last offset — the checkpoint (<see cref="IssueCheckpoint"/>, Orleans-serialized, in the issue
/// row); (4) wake the alert deliverers. A crash before (3) committed leaves nothing of the batch, and the
/// redelivery, starting from the same stored state, decides the same values and firing ids; a crash after
/// it finds the offset applied (the delivery sweep finds firings whose wake-up was lost). On Event Hubs
/// (<c>Grains:Streams:Provider=eventhubs</c>) the token is the hub's sequence number, per partition;
/// docs/runtime.md ("Azure options") says when the offset check holds.
/// </para>
/// <para>
/// The checkpoint carries a version and commits only over the version this activation read (an ETag):
/// a second, stale activation of the issue (a cluster during a membership change) fails its commit with
/// <see cref="Orleans.Storage.InconsistentStateException"/> and none of its rows, deltas or workflow
/// stay; it re-reads and the batch is redelivered. Orleans' grain storage (<c>state</c>) is written only
/// for the identity (before any event refers to it, before the first checkpoint) and when the issue is
/// deleted (which deletes the row and its checkpoint). So on activation the checkpoint, once written,
/// always wins; an issue without one (written by the older version, which kept the whole state in
/// Orleans' storage) keeps that state and writes its first checkpoint over version 0. API turns (status
/// updates, scheduled transitions) commit the same way, without events. A batch whose events were all
/// retries writes nothing: only its offset would change, and a later activation finds them stored again.
/// The workflow part (<see cref="IWorkflowStore"/>: releases seen, activities keyed by issue, stream offset
/// and type, the next due time) is idempotent as well.
/// </para>
/// <para>
/// The duplicate decision is a read before the commit, no longer the insert's own outcome, which leaves
/// one race: two different issues of a project receiving the same event id at the same moment (an SDK
/// retry grouped differently, e.g. across a grouping config change) both find the id absent and both count
/// it; the insert stays <c>ON CONFLICT DO NOTHING</c>, so one row is stored and nothing is lost. One event
/// may then be counted once in each of two issues. Within one issue, turns are serial and each batch
/// commits before the next reads, so its own retries are always seen. The trade is one read per batch
/// (not a write and a read per event) for a miscount that needs a retry racing itself into another issue.
/// </para>
/// <para>
/// Orleans keeps an activation's in-memory state when a method throws, and retries the delivery into
/// the same activation; so a failed batch (and a failed API turn) re-reads the stored state — Orleans'
/// storage, then the checkpoint — before it rethrows, or the retry
/// would skip events the state claims but the store never got. An item that cannot be decoded fails
/// every time: it is set aside to the dead-letter store with its error and the rest of the batch is
/// applied, so one poison event never stalls its queue.
/// </para>
/// <para>
/// Tracing: each applied event gets an <see cref="IssueInstruments.ApplyEvent"/> span whose parent is
/// the durable append that stored it (the context travels with the log record), so the SDK's request,
/// the append, the delivery and the store writes are one trace. The batch's reads and writes (issue
/// identity, duplicate read, commit, wake-up) run under the span of the batch's last event, whose offset
/// the state records.
/// </para>
/// </remarks>
[ImplicitStreamSubscription(IngestStream.Namespace)]
[CollectionAgeLimit(Minutes = CollectionAgeMinutes)]
public sealed partial class IssueGrain(
    [PersistentState("issue")] IPersistentState<IssueState> state,
    IEventStore events,
    IIssueStore issues,
    IIssueBatchStore batches,
    IServiceProvider services,
    ILogger<IssueGrain> logger) : Grain, IIssueGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<byte[]>
{
    /// <summary>
    /// Idle minutes before an issue grain is collected: half a minute, against Orleans' 15 for other
    /// grains (the silo's collection quantum is 15 s, <c>SiloDefaults.CollectionQuantum</c>). Most issues
    /// see a burst and then nothing; an activation with its state and stream subscription costs tens
    /// of kilobytes, so with 100,000 distinct issues every minute it stays costs gigabytes (measured:
    /// 1.5 GB RSS with 2 minutes). An issue's state is reloaded in one read when it comes back.
    /// </summary>
    public const double CollectionAgeMinutes = 0.5;

    /// <summary>The version of the checkpoint this activation read or last wrote (0: none in the issue row yet).</summary>
    private long _checkpointVersion;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await LoadCheckpointAsync(cancellationToken);
        await base.OnActivateAsync(cancellationToken);
    }

    /// <summary>
    /// Replaces the state Orleans loaded with the checkpoint in the issue row, when one was written: once
    /// written, the row's state always wins (the grain writes Orleans' storage only before the first
    /// checkpoint, for the identity, and when the issue is deleted, which deletes the row). An issue whose
    /// state is only in Orleans' storage (written by an older version) keeps it, at version 0.
    /// </summary>
    private async Task LoadCheckpointAsync(CancellationToken cancellationToken = default)
    {
        _checkpointVersion = 0;
        if (state.State.Id == 0)
        {
            return;
        }

        if (await batches.GetCheckpointAsync(state.State.Id, cancellationToken) is { } checkpoint)
        {
            state.State = Serializer.Deserialize<IssueState>(checkpoint.State) ?? throw new InvalidDataException($"Issue {state.State.Id}: its stored checkpoint holds no state.");
            _checkpointVersion = checkpoint.Version;
        }
    }

    /// <summary>Re-reads the stored state (Orleans' storage, then the checkpoint) after a failed turn: the in-memory one may be ahead of it.</summary>
    private async Task ReloadAsync()
    {
        await state.ReadStateAsync();
        await LoadCheckpointAsync();
    }

    private Serializer Serializer => services.GetRequiredService<Serializer>();

    /// <summary>
    /// Commits a turn: <paramref name="rows"/>, the snapshot, the workflow part, the alert firings and the state (the
    /// checkpoint, over the version this activation holds) in one transaction. The state is serialized
    /// with what the commit writes recorded in it, so a failed commit must be followed by <see cref="ReloadAsync"/>.
    /// </summary>
    private async Task CommitAsync(IssueState s, IReadOnlyList<StoredEvent> rows, IssueSnapshot snapshot, WorkflowWrite? workflow, IssueBatchFirings? firings = null)
    {
        WorkflowWritten(s, workflow);
        var checkpoint = new IssueCheckpoint(Serializer.SerializeToArray(s), _checkpointVersion + 1);
        await batches.CommitAsync(new IssueBatchWrite(rows, snapshot, workflow, checkpoint, firings));
        _checkpointVersion = checkpoint.Version;
    }

    public Task<IssueRecord?> GetAsync() => Task.FromResult(state.State.Id == 0 ? null : ToRecord(state.State));

    /// <inheritdoc />
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<byte[]>().ResumeAsync(this);

    /// <inheritdoc />
    public async Task OnNextAsync(IList<SequentialItem<byte[]>> batch)
    {
        var s = state.State;
        var fresh = new List<FreshEvent>(batch.Count);
        var delivery = Activity.Current;
        try
        {
            foreach (var item in batch)
            {
                var offset = item.Token.SequenceNumber;
                if (offset <= s.LastAppliedOffset)
                {
                    continue;
                }

                var span = DurableLogTracing.StartConsumerActivity(IssueInstruments.Source, IssueInstruments.ApplyEvent, item.Token);
                try
                {
                    var (facts, json, compressed) = IngestedEvent.Decode(item.Item);
                    fresh.Add(new FreshEvent(offset, facts, json, compressed, span));
                }
                catch (Exception exception) when (exception is InvalidDataException or JsonException)
                {
                    span?.SetStatus(ActivityStatusCode.Error, "set aside: cannot be decoded");
                    await SetAsideAsync(offset, item.Item, exception);
                    span?.Dispose();
                }
                finally
                {
                    // Each span is current only while it starts; the next item's must not become its child.
                    Activity.Current = delivery;
                }
            }

            if (fresh.Count == 0)
            {
                return;
            }

            try
            {
                await ApplyAsync(s, fresh);
            }
            catch (Exception exception)
            {
                foreach (var e in fresh)
                {
                    e.Span?.SetStatus(ActivityStatusCode.Error, exception.Message);
                }

                // The in-memory state may be ahead of the stored one; the retry must start from what is stored.
                await ReloadAsync();
                throw;
            }
        }
        finally
        {
            foreach (var e in fresh)
            {
                e.Span?.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public Task OnCompletedAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task OnErrorAsync(Exception ex)
    {
        LogDeliveryFailed(ex, this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    private async Task ApplyAsync(IssueState s, List<FreshEvent> fresh)
    {
        // The batch's own writes belong to its last event (this method's flow only: the change does not reach the caller).
        if (fresh[^1].Span is { } last)
        {
            Activity.Current = last;
        }

        if (s.Id == 0)
        {
            var project = GrainFactory.GetGrain<IProjectGrain>(fresh[0].Facts.ProjectId);
            (s.Id, s.ShortNumber) = await project.AllocateIssueAsync();
            s.ProjectId = fresh[0].Facts.ProjectId;

            // Persist the identity before any event refers to it, so a crash cannot give the issue a second id.
            await state.WriteStateAsync();
        }

        var stored = await batches.GetEventOffsetsAsync(s.ProjectId, fresh.Select(e => e.Facts.EventId).ToHashSet(StringComparer.Ordinal));

        var changes = new SnapshotChanges();
        var releases = await ReleaseOrderAsync(s, fresh);
        var alerts = await BeginAlertsAsync(s); // alert rules (IssueGrain.Alerts.cs): null when the project has none
        var rows = new List<StoredEvent>(fresh.Count);
        var ids = new HashSet<string>(fresh.Count, StringComparer.Ordinal);
        foreach (var e in fresh)
        {
            var id = e.Facts.EventId;

            // First in the batch, and either new to the project or stored from this very offset (a redelivery).
            var apply = ids.Add(id) && (!stored.TryGetValue(id, out var offset) || offset == e.Offset);
            if (!apply)
            {
                e.Span?.SetTag("grains.event.duplicate", true);
                continue;
            }

            if (!stored.ContainsKey(id))
            {
                rows.Add(Row(s, e));
            }

            var transition = Apply(s, e, changes, releases);
            EvaluateAlerts(alerts, s, e, transition);
        }

        s.LastAppliedOffset = fresh[^1].Offset;
        var firings = CommitFirings(alerts); // committed with the batch: see IssueGrain.Alerts.cs
        if (changes.Applied == 0)
        {
            // Only retries (which fire nothing): the state changed in nothing but its offset. Not writing it
            // is safe (a later activation finds the same ids stored again), and saves a commit.
            return;
        }

        var workflow = PrepareWorkflow(s, changes.Releases.Values, changes.Activities);
        await CommitAsync(s, rows, Snapshot(s, changes, s.LastAppliedOffset), workflow, firings);
        await FiringsCommittedAsync(firings);
    }

    private WorkflowOptions Options => services.GetService<IOptions<WorkflowOptions>>()?.Value ?? DefaultOptions;

    private static readonly WorkflowOptions DefaultOptions = new();

    /// <summary>
    /// The project's release order, loaded only when a release-based resolution has to judge an event
    /// with a release (releases first seen in this batch are not stored yet: they count as the newest).
    /// </summary>
    private async Task<ReleaseOrder?> ReleaseOrderAsync(IssueState s, List<FreshEvent> fresh)
    {
        if (s.Status != IssueWorkflow.Resolved || s.Resolution is null || fresh.All(e => e.Facts.Release is null)
            || services.GetService<IWorkflowStore>() is not { } store)
        {
            return null;
        }

        return new ReleaseOrder(await store.GetProjectReleasesAsync(s.ProjectId));
    }

    /// <summary>The workflow part of a turn, or null when there is no workflow store or the turn changes nothing of it.</summary>
    private WorkflowWrite? PrepareWorkflow(IssueState s, IEnumerable<ReleaseSeen> releases, IReadOnlyList<IssueActivity> activities, bool force = false)
    {
        if (services.GetService<IWorkflowStore>() is null)
        {
            return null;
        }

        // Most batches change neither releases, activities nor the due time: they write nothing here. Releases
        // this silo committed a moment ago are left out (ReleaseWriteFilter: first seen stays exact, last seen may lag a minute).
        var seen = services.GetService<ReleaseWriteFilter>() is { } filter ? releases.Where(filter.ShouldWrite).ToList() : releases.ToList();
        var due = IssueWorkflow.Due(s, Options);
        if (!force && seen.Count == 0 && activities.Count == 0 && s.DueWritten && s.WrittenDue == due)
        {
            return null;
        }

        return new WorkflowWrite(s.Id, this.GetPrimaryKeyString(), seen, activities, due);
    }

    /// <summary>
    /// Records (after its commit) the due time a workflow write stored, so the next turn writes it only when it
    /// changes, and its releases, so that this silo's next batches skip them for a while.
    /// </summary>
    private void WorkflowWritten(IssueState s, WorkflowWrite? write)
    {
        if (write is not null)
        {
            s.WrittenDue = write.Due;
            s.DueWritten = true;
            services.GetService<ReleaseWriteFilter>()?.Written(write.Releases);
        }
    }

    /// <summary>The event row of a delivered event (its JSON as the edge compressed it).</summary>
    private static StoredEvent Row(IssueState s, FreshEvent e) => new()
    {
        ProjectId = s.ProjectId,
        EventId = e.Facts.EventId,
        IssueId = s.Id,
        Timestamp = e.Facts.Timestamp,
        Received = e.Facts.Received,
        StreamOffset = e.Offset,
        Title = e.Facts.Title,
        Message = e.Facts.Message,
        Platform = e.Facts.Platform,
        Type = e.Facts.Type,
        Json = e.Json,
        CompressedJson = e.Compressed, // compressed once at the edge: stored as it is
    };

    /// <summary>Sets a poison item aside durably (or throws, so that Orleans retries the batch and nothing is skipped silently).</summary>
    private async Task SetAsideAsync(long offset, byte[] payload, Exception error)
    {
        var store = services.GetKeyedService<IDurableLogDeadLetterStore>(IngestStream.ProviderName)
            ?? throw new InvalidOperationException($"Event at offset {offset} cannot be decoded and no dead-letter store is configured.", error);
        var stream = IngestStream.For(this.GetPrimaryKeyString());
        var queueCount = services.GetOptionsByName<DurableLogStreamOptions>(IngestStream.ProviderName).QueueCount;
        var partition = DurableLogStreamQueueMapper.GetPartition(stream, queueCount);
        var failure = new DurableLogDeliveryFailure(
            IngestStream.ProviderName,
            partition,
            stream,
            Guid.Empty,
            offset,
            new DurableLogBatchContainer(stream, partition, [offset], [payload]),
            DateTimeOffset.UtcNow)
        {
            Error = error.ToString(),
        };
        if (!await store.SetAsideAsync(failure))
        {
            throw new InvalidOperationException($"Event at offset {offset} cannot be decoded and the dead-letter store did not take it.", error);
        }

        LogPoisonSetAside(error, this.GetPrimaryKeyString(), offset);
    }

    [LoggerMessage(1, LogLevel.Error, "Issue {IssueGrain}: the event at offset {Offset} cannot be decoded; set aside to dead letters")]
    private partial void LogPoisonSetAside(Exception exception, string issueGrain, long offset);

    [LoggerMessage(2, LogLevel.Error, "Issue {IssueGrain}: Orleans gave up delivering a batch; the stream provider holds or dead-letters it")]
    private partial void LogDeliveryFailed(Exception exception, string issueGrain);

    public async Task<IssueRecord> UpdateStatusAsync(IssueStatusUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var s = state.State;
        if (s.Id == 0)
        {
            throw new KeyNotFoundException($"Issue {this.GetPrimaryKeyString()} has no events.");
        }

        var now = Now;
        var (type, data) = IssueWorkflow.Update(s, update, now);
        s.StatusDetailsJson = IssueWorkflow.StatusDetails(s).ToJsonString();

        // An API change is not redelivered: its activity key only has to be unique.
        var activity = new IssueActivity($"{s.Id}:api:{Guid.NewGuid():N}", s.Id, type, data.ToJsonString(), now);
        await CommitTurnAsync(s, PrepareWorkflow(s, [], [activity]));
        return ToRecord(s);
    }

    /// <summary>An API or scheduled turn's commit: no events, the snapshot without deltas, the workflow part, the state; a failure re-reads the stored state.</summary>
    private async Task CommitTurnAsync(IssueState s, WorkflowWrite? workflow)
    {
        try
        {
            await CommitAsync(s, [], Snapshot(s, new SnapshotChanges(), 0), workflow);
        }
        catch
        {
            await ReloadAsync();
            throw;
        }
    }

    public async Task<bool> RunScheduledAsync()
    {
        var s = state.State;
        if (s.Id == 0)
        {
            return false;
        }

        var now = Now;
        if (IssueWorkflow.OnSchedule(s, now, Options) is not { } change)
        {
            // Not due (any more): rewrite the due time so the scheduler stops asking.
            await CommitTurnAsync(s, PrepareWorkflow(s, [], [], force: true));
            return false;
        }

        s.StatusDetailsJson = IssueWorkflow.StatusDetails(s).ToJsonString();
        var key = $"{s.Id}:due:{now.ToUnixTimeMilliseconds()}:{change.Type}";
        await CommitTurnAsync(s, PrepareWorkflow(s, [], [new IssueActivity(key, s.Id, change.Type, change.Data.ToJsonString(), now)]));
        return true;
    }

    private DateTimeOffset Now => (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();

    public async Task DeleteAsync()
    {
        var s = state.State;
        if (s.Id != 0)
        {
            await events.DeleteByIssueAsync(s.Id);
            if (services.GetService<IWorkflowStore>() is { } workflow)
            {
                await workflow.DeleteIssueAsync(s.Id);
            }

            await issues.DeleteAsync(s.Id);
        }

        // Keep the stream position: items already applied must stay applied, the issue itself is gone.
        var offset = s.LastAppliedOffset;
        state.State = new IssueState { LastAppliedOffset = offset };
        _checkpointVersion = 0; // the issue row, and its checkpoint, is gone: Orleans' storage holds the offset again
        await state.WriteStateAsync();
        DeactivateOnIdle();
    }

    /// <summary>Applies one event to the state and the batch's deltas; says what it did to the issue (for alert rules).</summary>
    private IssueTransition Apply(IssueState s, FreshEvent e, SnapshotChanges changes, ReleaseOrder? releases)
    {
        var facts = e.Facts;
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

        s.Rates.Add(facts.Timestamp, facts.Received, facts.UserKey);
        if (!string.IsNullOrEmpty(facts.Release))
        {
            var seen = facts.Timestamp > facts.Received ? facts.Received : facts.Timestamp;
            changes.AddRelease(s.ProjectId, facts.Release, "", seen);
            if (!string.IsNullOrEmpty(facts.Environment))
            {
                changes.AddRelease(s.ProjectId, facts.Release, facts.Environment, seen);
            }
        }

        var issueId = s.Id;
        var transition = IssueWorkflow.OnEvent(s, facts.Release, facts.Received, first, releases, Options, (type, data) =>
            changes.Activities.Add(new IssueActivity($"{issueId}:{e.Offset}:{type}", issueId, type, data.ToJsonString(), facts.Received)));
        s.StatusDetailsJson = IssueWorkflow.StatusDetails(s).ToJsonString();
        return transition;
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
        GrainKey = this.GetPrimaryKeyString(),
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
        StatusDetailsJson = s.StatusDetailsJson,
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

    /// <summary>
    /// A delivered event above the applied offset, decoded, with its span (null when no one traces). Its JSON
    /// is either <see cref="Compressed"/> (current items) or <see cref="Json"/> (items written before the edge compressed).
    /// </summary>
    private readonly record struct FreshEvent(long Offset, EventFacts Facts, ReadOnlyMemory<byte> Json, CompressedEventJson? Compressed, Activity? Span)
    {
        /// <summary>The event JSON for alert rules, inflated only if a rule reads an event attribute.</summary>
        public EventJsonView JsonView() => Compressed is { } compressed ? new EventJsonView(() => compressed.Decompress()) : new EventJsonView(Json);
    }

    /// <summary>What a batch added: the deltas of its snapshot.</summary>
    private sealed class SnapshotChanges
    {
        public int Applied { get; set; }

        public bool HashesChanged { get; set; }

        public Dictionary<(string Key, string Value), (long Count, DateTimeOffset First, DateTimeOffset Last)> Tags { get; } = [];

        public Dictionary<long, long> Hours { get; } = [];

        public Dictionary<(string Version, string Environment), ReleaseSeen> Releases { get; } = [];

        public List<IssueActivity> Activities { get; } = [];

        public void AddRelease(long projectId, string version, string environment, DateTimeOffset seen)
        {
            Releases[(version, environment)] = Releases.TryGetValue((version, environment), out var known)
                ? known with { FirstSeen = seen < known.FirstSeen ? seen : known.FirstSeen, LastSeen = seen > known.LastSeen ? seen : known.LastSeen }
                : new ReleaseSeen(projectId, version, environment, seen, seen);
        }

        public void AddTag(string key, string value, DateTimeOffset seen)
        {
            Tags[(key, value)] = Tags.TryGetValue((key, value), out var counted)
                ? (counted.Count + 1, seen < counted.First ? seen : counted.First, seen > counted.Last ? seen : counted.Last)
                : (1, seen, seen);
        }
    }
}
