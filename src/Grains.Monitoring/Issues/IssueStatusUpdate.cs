using Grains.Monitoring.Issues.Workflow;

namespace Grains.Monitoring.Issues;

/// <summary>A status change from the API.</summary>
/// <param name="Status"><c>resolved</c>, <c>unresolved</c> or <c>ignored</c>.</param>
/// <param name="Substatus">Optional substatus (e.g. <c>archived_forever</c>); null for the status's default.</param>
/// <param name="StatusDetailsJson">The change's <c>statusDetails</c> as the update answers them (JSON object); null for none.</param>
[GenerateSerializer, Alias("Grains.Monitoring.IssueStatusUpdate")]
public sealed record IssueStatusUpdate(
    [property: Id(0)] string Status,
    [property: Id(1)] string? Substatus,
    [property: Id(2)] string? StatusDetailsJson)
{
    /// <summary>Resolved in a release or the next one (versions already resolved against the project's releases); null for a plain resolve.</summary>
    [Id(3)]
    public IssueResolution? Resolution { get; init; }

    /// <summary>The archive's conditions (the grain fills in the counts at archive time); null for "forever".</summary>
    [Id(4)]
    public IssueSnooze? Snooze { get; init; }
}
