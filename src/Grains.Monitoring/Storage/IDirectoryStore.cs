namespace Grains.Monitoring.Storage;

/// <summary>Organizations, projects, DSN keys and API tokens.</summary>
public interface IDirectoryStore
{
    Task<IReadOnlyList<OrganizationRecord>> ListOrganizationsAsync(CancellationToken cancellationToken = default);

    Task<OrganizationRecord?> GetOrganizationAsync(string slug, CancellationToken cancellationToken = default);

    /// <exception cref="DuplicateSlugException">The slug is taken.</exception>
    Task<OrganizationRecord> CreateOrganizationAsync(string slug, string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ProjectRecord>> ListProjectsAsync(long organizationId, CancellationToken cancellationToken = default);

    Task<ProjectRecord?> GetProjectAsync(long organizationId, string slug, CancellationToken cancellationToken = default);

    Task<ProjectRecord?> GetProjectAsync(long projectId, CancellationToken cancellationToken = default);

    /// <summary>Creates a project (the id is assigned by the store).</summary>
    /// <exception cref="DuplicateSlugException">The slug is taken in the organization.</exception>
    Task<ProjectRecord> CreateProjectAsync(long organizationId, string slug, string name, string? platform, CancellationToken cancellationToken = default);

    /// <summary>Replaces a project's mutable fields (slug, name, platform, grouping config and rules).</summary>
    /// <exception cref="DuplicateSlugException">The new slug is taken in the organization.</exception>
    Task UpdateProjectAsync(ProjectRecord project, CancellationToken cancellationToken = default);

    /// <summary>A project's options set away from their defaults: option key → the value as JSON (see <c>Projects.Options</c>).</summary>
    Task<IReadOnlyDictionary<string, string>> GetProjectOptionsAsync(long projectId, CancellationToken cancellationToken = default);

    /// <summary>Sets options of a project in one transaction: a JSON value replaces the stored one, null deletes the row (back to the default).</summary>
    Task SetProjectOptionsAsync(long projectId, IReadOnlyDictionary<string, string?> values, CancellationToken cancellationToken = default);

    /// <summary>Deletes a project, its keys and its options.</summary>
    Task DeleteProjectAsync(long projectId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Durably reserves the next <paramref name="count"/> issue numbers of a project (1, 2, …) and returns
    /// the first; the project grain hands a block out from memory, so allocation is not a write per issue.
    /// </summary>
    Task<long> NextIssueNumberAsync(long projectId, int count = 1, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ProjectKeyRecord>> ListKeysAsync(long projectId, CancellationToken cancellationToken = default);

    /// <summary>A key by its public key (the ingest edge's lookup), or null.</summary>
    Task<ProjectKeyRecord?> FindKeyAsync(string publicKey, CancellationToken cancellationToken = default);

    Task CreateKeyAsync(ProjectKeyRecord key, CancellationToken cancellationToken = default);

    Task UpdateKeyAsync(ProjectKeyRecord key, CancellationToken cancellationToken = default);

    Task<bool> DeleteKeyAsync(string publicKey, CancellationToken cancellationToken = default);

    /// <summary>The quota set through the API for an organization or project, or null when none is.</summary>
    Task<ScopeRateLimitRecord?> GetRateLimitAsync(string scope, long scopeId, CancellationToken cancellationToken = default);

    /// <summary>Stores (or, when <see cref="ScopeRateLimitRecord.IsEmpty"/>, removes) the quota of an organization or project.</summary>
    Task SetRateLimitAsync(ScopeRateLimitRecord rateLimit, CancellationToken cancellationToken = default);

    Task<ApiTokenRecord?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken = default);

    Task<ApiTokenRecord> CreateTokenAsync(string name, string tokenHash, CancellationToken cancellationToken = default);

    Task<bool> AnyTokenAsync(CancellationToken cancellationToken = default);
}
