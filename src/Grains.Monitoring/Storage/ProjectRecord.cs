namespace Grains.Monitoring.Storage;

/// <summary>A project's configuration (its <c>ProjectGrain</c> is the single writer).</summary>
[GenerateSerializer, Alias("Grains.Monitoring.ProjectRecord")]
public sealed record ProjectRecord
{
    [Id(0)]
    public required long Id { get; init; }

    [Id(1)]
    public required long OrganizationId { get; init; }

    [Id(2)]
    public required string Slug { get; init; }

    [Id(3)]
    public required string Name { get; init; }

    [Id(4)]
    public string? Platform { get; init; }

    [Id(5)]
    public required DateTimeOffset DateCreated { get; init; }

    /// <summary>The grouping config new events are grouped with (e.g. <c>newstyle:2026-01-20</c>).</summary>
    [Id(6)]
    public string GroupingConfigId { get; init; } = "newstyle:2026-01-20";

    /// <summary>Server-side fingerprint rules (Sentry's grammar), empty when none.</summary>
    [Id(7)]
    public string FingerprintRules { get; init; } = "";

    /// <summary>Project stack-trace rules ("enhancements"), applied after the built-in ones; empty when none.</summary>
    [Id(8)]
    public string StackTraceRules { get; init; } = "";
}
