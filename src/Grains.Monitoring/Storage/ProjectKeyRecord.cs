namespace Grains.Monitoring.Storage;

/// <summary>A DSN key of a project.</summary>
public sealed record ProjectKeyRecord
{
    /// <summary>The key's id in the API (its public key, as Sentry does).</summary>
    public string Id => PublicKey;

    public required long ProjectId { get; init; }

    public required string Name { get; init; }

    /// <summary>32 lowercase hex characters.</summary>
    public required string PublicKey { get; init; }

    /// <summary>32 lowercase hex characters (legacy; never needed by SDKs).</summary>
    public required string SecretKey { get; init; }

    public bool IsActive { get; init; } = true;

    public required DateTimeOffset DateCreated { get; init; }
}
