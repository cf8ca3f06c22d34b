using Grains.Monitoring.Projects.Options;
using Grains.Monitoring.Storage;
using Orleans.Concurrency;

namespace Grains.Monitoring.Projects;

/// <summary>
/// One project (key: project id): the single writer of its configuration, DSN keys and issue
/// numbers. Changes notify <see cref="ProjectChangeNotifier"/> so the ingest edge drops cached lookups.
/// </summary>
[Alias("Grains.Monitoring.IProjectGrain")]
public interface IProjectGrain : IGrainWithIntegerKey
{
    [ReadOnly]
    [Alias("Get")]
    Task<ProjectRecord?> GetAsync();

    /// <summary>Applies the non-null fields; validates grouping rules first (a bad rule throws <see cref="ArgumentException"/> naming it).</summary>
    [Alias("Update")]
    Task<ProjectRecord> UpdateAsync(ProjectUpdate update);

    /// <summary>The project's options (<see cref="ProjectOptionRegistry"/>); empty when the project does not exist.</summary>
    [ReadOnly]
    [Alias("GetOptions")]
    Task<ProjectOptions> GetOptionsAsync();

    /// <summary>
    /// Sets options from their API values (key → the value's JSON text), all or none: each is validated
    /// by its option class, and any unknown key or invalid value leaves everything unchanged and is
    /// reported per key. On success the edge's cached lookups of the project are dropped.
    /// </summary>
    [Alias("UpdateOptions")]
    Task<ProjectOptionsUpdate> UpdateOptionsAsync(IReadOnlyDictionary<string, string> inputs);

    /// <summary>Allocates the id and short number of a new issue.</summary>
    [Alias("AllocateIssue")]
    Task<(long IssueId, long ShortNumber)> AllocateIssueAsync();

    [Alias("CreateKey")]
    Task<ProjectKeyRecord> CreateKeyAsync(string name);

    /// <summary>Renames or (de)activates a key; null when the key is not this project's.</summary>
    [Alias("UpdateKey")]
    Task<ProjectKeyRecord?> UpdateKeyAsync(string publicKey, string? name, bool? isActive);

    /// <summary>
    /// Sets a key's rate limit (Sentry's <c>rateLimit</c>): <paramref name="count"/> error events per
    /// <paramref name="window"/> seconds when both are given, none when either is null. Null when the
    /// key is not this project's.
    /// </summary>
    [Alias("SetKeyRateLimit")]
    Task<ProjectKeyRecord?> SetKeyRateLimitAsync(string publicKey, long? count, long? window);

    [Alias("DeleteKey")]
    Task<bool> DeleteKeyAsync(string publicKey);

    [Alias("Delete")]
    Task DeleteAsync();
}
