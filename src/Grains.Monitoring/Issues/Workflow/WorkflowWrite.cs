using Grains.Monitoring.Issues.Activities;
using Grains.Monitoring.Releases;

namespace Grains.Monitoring.Issues.Workflow;

/// <summary>
/// What an issue's turn writes besides its snapshot: releases its events saw, its new activities, and
/// when its next timed transition is due. Every part is idempotent (min/max upserts, activities keyed
/// deterministically, the due time an absolute value), so a redelivered batch writes the same again.
/// </summary>
/// <param name="IssueId">The issue.</param>
/// <param name="GrainKey">The issue grain's key (the scheduler calls it).</param>
/// <param name="Releases">Releases seen, per project and environment ('' = all environments together).</param>
/// <param name="Activities">New activities.</param>
/// <param name="Due">The next timed transition, or null for none.</param>
/// <param name="WritesDue">False to leave the stored due time alone (a note changes no status).</param>
public sealed record WorkflowWrite(
    long IssueId,
    string GrainKey,
    IReadOnlyList<ReleaseSeen> Releases,
    IReadOnlyList<IssueActivity> Activities,
    DateTimeOffset? Due,
    bool WritesDue = true);
