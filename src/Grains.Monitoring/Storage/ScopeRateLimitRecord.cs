namespace Grains.Monitoring.Storage;

/// <summary>
/// The quota an organization or project has through the API, replacing the server's default for it:
/// <see cref="Count"/> error events per <see cref="Window"/> seconds (both set, or neither), and the
/// share of the organization's quota one project may use (<c>sentry:project-rate-limit</c>; on an
/// organization, the default of its projects).
/// </summary>
/// <param name="Scope"><see cref="Organization"/> or <see cref="Project"/>.</param>
/// <param name="ScopeId">The organization or project id.</param>
/// <param name="Count">Error events per window; 0 rejects all; null with <paramref name="Window"/> for none.</param>
/// <param name="Window">The window in seconds.</param>
/// <param name="SharePercent">The percentage (1 to 100) of the organization's quota one project may use; null to inherit.</param>
public sealed record ScopeRateLimitRecord(string Scope, long ScopeId, long? Count, long? Window, int? SharePercent)
{
    /// <summary>The scope of an organization's row.</summary>
    public const string Organization = "organization";

    /// <summary>The scope of a project's row.</summary>
    public const string Project = "project";

    /// <summary>True when the row sets nothing (it is deleted rather than stored).</summary>
    public bool IsEmpty => Count is null && Window is null && SharePercent is null;
}
