using Grains.Monitoring.Storage;
using Orleans.Concurrency;

namespace Grains.Monitoring.Issues;

/// <summary>
/// One issue: key <c>{projectId}:{primaryHash}</c>. It receives its events from the ingest stream
/// (deduplicates, counts, aggregates, detects regressions) and takes status changes from the API.
/// </summary>
[Alias("Grains.Monitoring.IIssueGrain")]
public interface IIssueGrain : IGrainWithStringKey
{
    /// <summary>The issue's summary, or null before its first event.</summary>
    [ReadOnly]
    [Alias("Get")]
    Task<IssueRecord?> GetAsync();

    /// <summary>Changes the status; returns the updated summary.</summary>
    [Alias("UpdateStatus")]
    Task<IssueRecord> UpdateStatusAsync(IssueStatusUpdate update);

    /// <summary>Runs the issue's timed transition when due (ongoing after a week, end of a timed archive); true when it changed.</summary>
    [Alias("RunScheduled")]
    Task<bool> RunScheduledAsync();

    /// <summary>Deletes the issue, its events and its hash links; later events with its hashes start a new issue.</summary>
    [Alias("Delete")]
    Task DeleteAsync();
}
