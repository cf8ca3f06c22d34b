namespace Grains.Monitoring.Issues;

/// <summary>A status change from the API.</summary>
/// <param name="Status"><c>resolved</c>, <c>unresolved</c> or <c>ignored</c>.</param>
/// <param name="Substatus">Optional substatus (e.g. <c>archived_forever</c>); null for the status's default.</param>
/// <param name="StatusDetails">Sentry's <c>statusDetails</c> object as given, kept for display.</param>
public sealed record IssueStatusUpdate(string Status, string? Substatus, Dictionary<string, object?>? StatusDetails);
