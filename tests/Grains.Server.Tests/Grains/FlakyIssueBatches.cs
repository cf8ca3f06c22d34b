using System.Collections.Concurrent;
using Grains.Monitoring.Storage;

namespace Grains.Server.Tests.Grains;

/// <summary>The issue batch store over the real one: records every commit attempt and fails chosen events' commits, before or after the real store committed them.</summary>
public sealed class FlakyIssueBatches : IIssueBatchStore
{
    public IIssueBatchStore Inner { get; set; } = null!;

    /// <summary>Every commit attempt, failed ones included, in order.</summary>
    public ConcurrentQueue<IssueBatchWrite> Attempts { get; } = new();

    /// <summary>Event id → commits left to fail without writing (a crash before the commit).</summary>
    public ConcurrentDictionary<string, int> FailBefore { get; } = new();

    /// <summary>Event id → commits left to fail after writing (the answer lost, a crash right after the commit).</summary>
    public ConcurrentDictionary<string, int> FailAfter { get; } = new();

    public Task<IReadOnlyDictionary<string, long>> GetEventOffsetsAsync(long projectId, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default) =>
        Inner.GetEventOffsetsAsync(projectId, eventIds, cancellationToken);

    public Task<IssueCheckpoint?> GetCheckpointAsync(long issueId, CancellationToken cancellationToken = default) => Inner.GetCheckpointAsync(issueId, cancellationToken);

    public async Task CommitAsync(IssueBatchWrite write, CancellationToken cancellationToken = default)
    {
        Attempts.Enqueue(write);
        if (Take(FailBefore, write))
        {
            throw new IOException("simulated crash before the commit");
        }

        await Inner.CommitAsync(write, cancellationToken);
        if (Take(FailAfter, write))
        {
            throw new IOException("simulated crash after the commit");
        }
    }

    private static bool Take(ConcurrentDictionary<string, int> failures, IssueBatchWrite write)
    {
        foreach (var e in write.Events)
        {
            if (failures.TryGetValue(e.EventId, out var left) && left > 0)
            {
                failures[e.EventId] = left - 1;
                return true;
            }
        }

        return false;
    }
}
