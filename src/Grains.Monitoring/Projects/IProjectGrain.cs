using Grains.Monitoring.Storage;
using Grains.Runtime;

namespace Grains.Monitoring.Projects;

/// <summary>
/// One project (key: project id): the single writer of its configuration, DSN keys and issue
/// numbers. Changes notify <see cref="ProjectChangeNotifier"/> so the ingest edge drops cached lookups.
/// </summary>
public interface IProjectGrain : IGrainWithIntegerKey
{
    [ReadOnly]
    Task<ProjectRecord?> GetAsync();

    /// <summary>Applies the non-null fields; validates grouping rules first (a bad rule throws <see cref="ArgumentException"/> naming it).</summary>
    Task<ProjectRecord> UpdateAsync(ProjectUpdate update);

    /// <summary>Allocates the id and short number of a new issue.</summary>
    Task<(long IssueId, long ShortNumber)> AllocateIssueAsync();

    Task<ProjectKeyRecord> CreateKeyAsync(string name);

    /// <summary>Renames or (de)activates a key; null when the key is not this project's.</summary>
    Task<ProjectKeyRecord?> UpdateKeyAsync(string publicKey, string? name, bool? isActive);

    Task<bool> DeleteKeyAsync(string publicKey);

    Task DeleteAsync();
}
