namespace Grains.Monitoring.Storage;

/// <summary>A project's configuration (its <c>ProjectGrain</c> is the single writer).</summary>
public sealed record ProjectRecord
{
    public required long Id { get; init; }

    public required long OrganizationId { get; init; }

    public required string Slug { get; init; }

    public required string Name { get; init; }

    public string? Platform { get; init; }

    public required DateTimeOffset DateCreated { get; init; }

    /// <summary>The grouping config new events are grouped with (e.g. <c>newstyle:2026-01-20</c>).</summary>
    public string GroupingConfigId { get; init; } = "newstyle:2026-01-20";

    /// <summary>Server-side fingerprint rules (Sentry's grammar), empty when none.</summary>
    public string FingerprintRules { get; init; } = "";

    /// <summary>Project stack-trace rules ("enhancements"), applied after the built-in ones; empty when none.</summary>
    public string StackTraceRules { get; init; } = "";
}
