namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// <see cref="IDirectoryStore"/> in the <c>organizations</c>, <c>projects</c>, <c>project_options</c>,
/// <c>project_keys</c>, <c>rate_limit_quotas</c> and <c>api_tokens</c> tables, over a backend's
/// <see cref="StoreCommands"/>; safe when several silos write at once.
/// </summary>
/// <remarks>
/// A taken slug is detected without parsing constraint errors where a statement can say it: creating
/// inserts with <c>ON CONFLICT DO NOTHING RETURNING id</c> (no row: taken, also by a concurrent insert),
/// and renaming updates only when no other project of the organization has the slug. A rename racing
/// another silo's (PostgreSQL, read committed) still fails on the unique constraint, mapped to the same
/// <see cref="DuplicateSlugException"/>.
/// </remarks>
public abstract class RelationalDirectoryStore : IDirectoryStore
{
    private const string SelectOrganizations = $"SELECT {StoreRows.OrganizationColumns} FROM organizations ORDER BY slug";

    private const string SelectOrganization = $"SELECT {StoreRows.OrganizationColumns} FROM organizations WHERE slug = @slug";

    private const string InsertOrganization = """
        INSERT INTO organizations (slug, name, date_created) VALUES (@slug, @name, @date_created)
        ON CONFLICT (slug) DO NOTHING RETURNING id
        """;

    private const string SelectProjects = $"SELECT {StoreRows.ProjectColumns} FROM projects WHERE organization_id = @organization_id ORDER BY slug";

    private const string SelectProjectBySlug = $"SELECT {StoreRows.ProjectColumns} FROM projects WHERE organization_id = @organization_id AND slug = @slug";

    private const string SelectProjectById = $"SELECT {StoreRows.ProjectColumns} FROM projects WHERE id = @id";

    private const string InsertProject = """
        INSERT INTO projects (organization_id, slug, name, platform, date_created, grouping_config_id, fingerprint_rules, stack_trace_rules, next_issue_number)
        VALUES (@organization_id, @slug, @name, @platform, @date_created, @grouping_config_id, '', '', 1)
        ON CONFLICT (organization_id, slug) DO NOTHING RETURNING id
        """;

    private const string SelectSlugOwner = "SELECT id FROM projects WHERE organization_id = @organization_id AND slug = @slug";

    private const string UpdateProject = """
        UPDATE projects SET slug = @slug, name = @name, platform = @platform, grouping_config_id = @grouping_config_id,
            fingerprint_rules = @fingerprint_rules, stack_trace_rules = @stack_trace_rules
        WHERE id = @id
          AND NOT EXISTS (SELECT 1 FROM projects other WHERE other.organization_id = projects.organization_id AND other.slug = @slug AND other.id <> @id)
        """;

    private const string DeleteProjectKeys = "DELETE FROM project_keys WHERE project_id = @id";

    private const string DeleteProject = "DELETE FROM projects WHERE id = @id";

    private const string DeleteProjectOptions = "DELETE FROM project_options WHERE project_id = @id";

    private const string SelectProjectOptions = "SELECT option_key, value_json FROM project_options WHERE project_id = @project_id";

    private const string UpsertProjectOption = """
        INSERT INTO project_options (project_id, option_key, value_json) VALUES (@project_id, @option_key, @value_json)
        ON CONFLICT (project_id, option_key) DO UPDATE SET value_json = excluded.value_json
        """;

    private const string DeleteProjectOption = "DELETE FROM project_options WHERE project_id = @project_id AND option_key = @option_key";

    // The row lock of the UPDATE serializes concurrent reservations, also across silos.
    private const string IncrementIssueNumber = "UPDATE projects SET next_issue_number = next_issue_number + @count WHERE id = @id RETURNING next_issue_number - @count";

    private const string SelectKeys = $"SELECT {StoreRows.KeyColumns} FROM project_keys WHERE project_id = @project_id ORDER BY date_created, public_key";

    private const string SelectKey = $"SELECT {StoreRows.KeyColumns} FROM project_keys WHERE public_key = @public_key";

    private const string InsertKey = """
        INSERT INTO project_keys (project_id, name, public_key, secret_key, is_active, date_created, rate_limit_count, rate_limit_window)
        VALUES (@project_id, @name, @public_key, @secret_key, @is_active, @date_created, @rate_limit_count, @rate_limit_window)
        """;

    private const string UpdateKey = """
        UPDATE project_keys SET name = @name, is_active = @is_active, rate_limit_count = @rate_limit_count, rate_limit_window = @rate_limit_window
        WHERE public_key = @public_key
        """;

    private const string SelectRateLimit = $"SELECT {StoreRows.RateLimitColumns} FROM rate_limit_quotas WHERE scope = @scope AND scope_id = @scope_id";

    private const string UpsertRateLimit = """
        INSERT INTO rate_limit_quotas (scope, scope_id, limit_count, window_seconds, share_percent)
        VALUES (@scope, @scope_id, @limit_count, @window_seconds, @share_percent)
        ON CONFLICT (scope, scope_id) DO UPDATE SET limit_count = excluded.limit_count,
            window_seconds = excluded.window_seconds, share_percent = excluded.share_percent
        """;

    private const string DeleteRateLimit = "DELETE FROM rate_limit_quotas WHERE scope = @scope AND scope_id = @scope_id";

    private const string DeleteKey = "DELETE FROM project_keys WHERE public_key = @public_key";

    private const string SelectToken = $"SELECT {StoreRows.TokenColumns} FROM api_tokens WHERE token_hash = @token_hash";

    private const string InsertToken = "INSERT INTO api_tokens (name, token_hash, date_created) VALUES (@name, @token_hash, @date_created) RETURNING id";

    private const string SelectAnyToken = "SELECT 1 FROM api_tokens LIMIT 1";

    private readonly StoreCommands _commands;
    private readonly TimeProvider _time;

    /// <param name="commands">The backend's plumbing.</param>
    /// <param name="time">The clock for creation dates (the system clock when null).</param>
    protected RelationalDirectoryStore(StoreCommands commands, TimeProvider? time)
    {
        ArgumentNullException.ThrowIfNull(commands);
        _commands = commands;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OrganizationRecord>> ListOrganizationsAsync(CancellationToken cancellationToken = default) =>
        await _commands.QueryAsync(new(SelectOrganizations, []), StoreRows.Organization, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<OrganizationRecord?> GetOrganizationAsync(string slug, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slug);
        return _commands.QueryOneAsync(new(SelectOrganization, [("@slug", slug)]), StoreRows.Organization, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<OrganizationRecord> CreateOrganizationAsync(string slug, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(slug);
        ArgumentNullException.ThrowIfNull(name);
        var created = StoreTime.Truncate(_time.GetUtcNow());
        var id = await _commands.WriteScalarAsync("directory.organization.create",
            new(InsertOrganization, [("@slug", slug), ("@name", name), ("@date_created", StoreTime.ToMicroseconds(created))]), cancellationToken).ConfigureAwait(false);
        return id is long value ? new OrganizationRecord(value, slug, name, created) : throw new DuplicateSlugException("organization", slug);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ProjectRecord>> ListProjectsAsync(long organizationId, CancellationToken cancellationToken = default) =>
        await _commands.QueryAsync(new(SelectProjects, [("@organization_id", organizationId)]), StoreRows.Project, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<ProjectRecord?> GetProjectAsync(long organizationId, string slug, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slug);
        return _commands.QueryOneAsync(new(SelectProjectBySlug, [("@organization_id", organizationId), ("@slug", slug)]), StoreRows.Project, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ProjectRecord?> GetProjectAsync(long projectId, CancellationToken cancellationToken = default) =>
        _commands.QueryOneAsync(new(SelectProjectById, [("@id", projectId)]), StoreRows.Project, cancellationToken);

    /// <inheritdoc />
    public async Task<ProjectRecord> CreateProjectAsync(long organizationId, string slug, string name, string? platform, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(slug);
        ArgumentNullException.ThrowIfNull(name);
        var project = new ProjectRecord
        {
            Id = 0,
            OrganizationId = organizationId,
            Slug = slug,
            Name = name,
            Platform = platform,
            DateCreated = StoreTime.Truncate(_time.GetUtcNow()),
        };
        var id = await _commands.WriteScalarAsync("directory.project.create", new(InsertProject,
            [
                ("@organization_id", project.OrganizationId), ("@slug", project.Slug), ("@name", project.Name), ("@platform", SqlNull.Of(project.Platform)),
                ("@date_created", StoreTime.ToMicroseconds(project.DateCreated)), ("@grouping_config_id", project.GroupingConfigId),
            ]), cancellationToken).ConfigureAwait(false);
        return id is long value ? project with { Id = value } : throw new DuplicateSlugException("project", slug);
    }

    /// <inheritdoc />
    public async Task UpdateProjectAsync(ProjectRecord project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        int updated;
        try
        {
            updated = await _commands.ExecuteAsync("directory.project.update", new(UpdateProject,
                [
                    ("@id", project.Id), ("@slug", project.Slug), ("@name", project.Name), ("@platform", SqlNull.Of(project.Platform)),
                    ("@grouping_config_id", project.GroupingConfigId), ("@fingerprint_rules", project.FingerprintRules),
                    ("@stack_trace_rules", project.StackTraceRules),
                ]), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (_commands.IsUniqueViolation(exception))
        {
            throw new DuplicateSlugException("project", project.Slug);
        }

        // Nothing updated: the project is gone, or another project has the slug.
        if (updated == 0
            && await _commands.ScalarAsync(new(SelectSlugOwner, [("@organization_id", project.OrganizationId), ("@slug", project.Slug)]), cancellationToken).ConfigureAwait(false) is long owner
            && owner != project.Id)
        {
            throw new DuplicateSlugException("project", project.Slug);
        }
    }

    /// <inheritdoc />
    public Task DeleteProjectAsync(long projectId, CancellationToken cancellationToken = default)
    {
        (string, object)[] parameters = [("@id", projectId)];
        SqlStatement[] statements = [new(DeleteProjectKeys, parameters), new(DeleteProjectOptions, parameters), new(DeleteProject, parameters)];
        return _commands.WriteAsync("directory.project.delete", statements, guarded: false, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>> GetProjectOptionsAsync(long projectId, CancellationToken cancellationToken = default)
    {
        var rows = await _commands.QueryAsync(new(SelectProjectOptions, [("@project_id", projectId)]), static r => (Key: r.GetString(0), Value: r.GetString(1)), cancellationToken)
            .ConfigureAwait(false);
        var options = new Dictionary<string, string>(rows.Count, StringComparer.Ordinal);
        foreach (var (key, value) in rows)
        {
            options[key] = value;
        }

        return options;
    }

    /// <inheritdoc />
    public Task SetProjectOptionsAsync(long projectId, IReadOnlyDictionary<string, string?> values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var statements = new List<SqlStatement>(values.Count);
        foreach (var (key, value) in values)
        {
            statements.Add(value is null
                ? new(DeleteProjectOption, [("@project_id", projectId), ("@option_key", key)])
                : new(UpsertProjectOption, [("@project_id", projectId), ("@option_key", key), ("@value_json", value)]));
        }

        // One transaction: a request's options change together.
        return _commands.WriteAsync("directory.project.options", statements, guarded: false, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="KeyNotFoundException">The project does not exist.</exception>
    public async Task<long> NextIssueNumberAsync(long projectId, int count = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var number = await _commands.WriteScalarAsync("directory.project.issue-number", new(IncrementIssueNumber, [("@id", projectId), ("@count", (long)count)]), cancellationToken)
            .ConfigureAwait(false);
        return number as long? ?? throw new KeyNotFoundException($"Project {projectId} does not exist.");
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ProjectKeyRecord>> ListKeysAsync(long projectId, CancellationToken cancellationToken = default) =>
        await _commands.QueryAsync(new(SelectKeys, [("@project_id", projectId)]), StoreRows.Key, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<ProjectKeyRecord?> FindKeyAsync(string publicKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return _commands.QueryOneAsync(new(SelectKey, [("@public_key", publicKey)]), StoreRows.Key, cancellationToken);
    }

    /// <inheritdoc />
    public Task CreateKeyAsync(ProjectKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _commands.ExecuteAsync("directory.key.create", new(InsertKey,
            [
                ("@project_id", key.ProjectId), ("@name", key.Name), ("@public_key", key.PublicKey), ("@secret_key", key.SecretKey),
                ("@is_active", key.IsActive ? 1L : 0L), ("@date_created", StoreTime.ToMicroseconds(key.DateCreated)),
                ("@rate_limit_count", SqlNull.Of(key.RateLimitCount)), ("@rate_limit_window", SqlNull.Of(key.RateLimitWindow)),
            ]), cancellationToken);
    }

    /// <inheritdoc />
    public Task UpdateKeyAsync(ProjectKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _commands.ExecuteAsync("directory.key.update", new(UpdateKey,
            [
                ("@public_key", key.PublicKey), ("@name", key.Name), ("@is_active", key.IsActive ? 1L : 0L),
                ("@rate_limit_count", SqlNull.Of(key.RateLimitCount)), ("@rate_limit_window", SqlNull.Of(key.RateLimitWindow)),
            ]), cancellationToken);
    }

    /// <inheritdoc />
    public Task<ScopeRateLimitRecord?> GetRateLimitAsync(string scope, long scopeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return _commands.QueryOneAsync(new(SelectRateLimit, [("@scope", scope), ("@scope_id", scopeId)]), StoreRows.RateLimit, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetRateLimitAsync(ScopeRateLimitRecord rateLimit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rateLimit);
        return _commands.ExecuteAsync("directory.ratelimit.set", rateLimit.IsEmpty
            ? new(DeleteRateLimit, [("@scope", rateLimit.Scope), ("@scope_id", rateLimit.ScopeId)])
            : new(UpsertRateLimit,
            [
                ("@scope", rateLimit.Scope), ("@scope_id", rateLimit.ScopeId), ("@limit_count", SqlNull.Of(rateLimit.Count)),
                ("@window_seconds", SqlNull.Of(rateLimit.Window)), ("@share_percent", SqlNull.Of(rateLimit.SharePercent)),
            ]), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteKeyAsync(string publicKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return await _commands.ExecuteAsync("directory.key.delete", new(DeleteKey, [("@public_key", publicKey)]), cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public Task<ApiTokenRecord?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        return _commands.QueryOneAsync(new(SelectToken, [("@token_hash", tokenHash)]), StoreRows.Token, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ApiTokenRecord> CreateTokenAsync(string name, string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(tokenHash);
        var created = StoreTime.Truncate(_time.GetUtcNow());
        var id = await _commands.WriteScalarAsync("directory.token.create",
            new(InsertToken, [("@name", name), ("@token_hash", tokenHash), ("@date_created", StoreTime.ToMicroseconds(created))]), cancellationToken).ConfigureAwait(false);
        return new ApiTokenRecord((long)id!, name, tokenHash, created);
    }

    /// <inheritdoc />
    public async Task<bool> AnyTokenAsync(CancellationToken cancellationToken = default) =>
        await _commands.ScalarAsync(new(SelectAnyToken, []), cancellationToken).ConfigureAwait(false) is not null;
}
