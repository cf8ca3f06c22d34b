namespace Grains.Monitoring.Issues;

/// <summary>A status change from the API.</summary>
/// <param name="Status"><c>resolved</c>, <c>unresolved</c> or <c>ignored</c>.</param>
/// <param name="Substatus">Optional substatus (e.g. <c>archived_forever</c>); null for the status's default.</param>
/// <param name="StatusDetailsJson">Sentry's <c>statusDetails</c> object as a JSON object, kept for display; null for none.</param>
[GenerateSerializer, Alias("Grains.Monitoring.IssueStatusUpdate")]
public sealed record IssueStatusUpdate(
    [property: Id(0)] string Status,
    [property: Id(1)] string? Substatus,
    [property: Id(2)] string? StatusDetailsJson);
