namespace Grains.Monitoring.Grouping;

/// <summary>Issue-facing summary of an event (Sentry's title, culprit and <c>metadata</c>, reference §2.1).</summary>
/// <param name="Title">Issue title, e.g. <c>ValueError: bad input</c>.</param>
/// <param name="Culprit">Crash location (≤ 200 chars), or null when none can be derived.</param>
/// <param name="Type">Main exception type (≤ 128 chars), null for message events and synthetic exceptions.</param>
/// <param name="Value">Main exception value (≤ 1024 chars), null when absent.</param>
/// <param name="Filename">Crash frame file name, if any.</param>
/// <param name="Function">Crash frame function, if any.</param>
public sealed record EventMetadata(string Title, string? Culprit, string? Type, string? Value, string? Filename, string? Function);
