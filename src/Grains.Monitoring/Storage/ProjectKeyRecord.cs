namespace Grains.Monitoring.Storage;

/// <summary>A DSN key of a project.</summary>
[GenerateSerializer, Alias("Grains.Monitoring.ProjectKeyRecord")]
public sealed record ProjectKeyRecord
{
    /// <summary>The key's id in the API (its public key, as Sentry does).</summary>
    public string Id => PublicKey;

    [Id(0)]
    public required long ProjectId { get; init; }

    [Id(1)]
    public required string Name { get; init; }

    /// <summary>32 lowercase hex characters.</summary>
    [Id(2)]
    public required string PublicKey { get; init; }

    /// <summary>32 lowercase hex characters (legacy; never needed by SDKs).</summary>
    [Id(3)]
    public required string SecretKey { get; init; }

    [Id(4)]
    public bool IsActive { get; init; } = true;

    [Id(5)]
    public required DateTimeOffset DateCreated { get; init; }

    /// <summary>The key's rate limit: error events per <see cref="RateLimitWindow"/> (Sentry's <c>rate_limit_count</c>); null when none.</summary>
    [Id(6)]
    public long? RateLimitCount { get; init; }

    /// <summary>The rate limit's window in seconds (Sentry's <c>rate_limit_window</c>); null when none.</summary>
    [Id(7)]
    public long? RateLimitWindow { get; init; }
}
