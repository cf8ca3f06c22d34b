using System.Data.Common;
using Grains.Monitoring.Storage;
using Grains.Monitoring.Storage.Relational;
using Grains.Postgres;
using Npgsql;

namespace Grains.Monitoring.Postgres;

/// <summary>
/// <see cref="IDirectoryStore"/> in a shared <see cref="PostgresDatabase"/>: organizations, projects,
/// DSN keys and hashed API tokens, safe when several silos write at once.
/// </summary>
/// <remarks>
/// Creating an organization or project inserts with <c>ON CONFLICT DO NOTHING RETURNING id</c>: a slug
/// taken (also by a concurrent, committing insert) returns no row and becomes a
/// <see cref="DuplicateSlugException"/>. Renaming a project to a taken slug fails on the unique
/// constraint (SQLSTATE 23505), mapped to the same exception — the SQLite store checks inside its
/// single writer instead, which cannot work across processes.
/// </remarks>
public sealed class PostgresDirectoryStore : IDirectoryStore
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

    private const string UpdateProject = """
        UPDATE projects SET slug = @slug, name = @name, platform = @platform, grouping_config_id = @grouping_config_id,
            fingerprint_rules = @fingerprint_rules, stack_trace_rules = @stack_trace_rules
        WHERE id = @id
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

    private readonly PostgresDatabase _database;
    private readonly PostgresSchemaGate _schema;
    private readonly TimeProvider _time;

    /// <summary>Creates the store over <paramref name="database"/> (not owned); the monitoring tables are created or migrated before its first operation.</summary>
    /// <param name="database">The shared database.</param>
    /// <param name="time">The clock for creation dates (the system clock when null).</param>
    public PostgresDirectoryStore(PostgresDatabase database, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _schema = PostgresSchemaGate.For(database);
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OrganizationRecord>> ListOrganizationsAsync(CancellationToken cancellationToken = default) =>
        ReadListAsync(SelectOrganizations, static _ => { }, StoreRows.Organization, cancellationToken);

    /// <inheritdoc />
    public Task<OrganizationRecord?> GetOrganizationAsync(string slug, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slug);
        return ReadOneAsync(SelectOrganization, p => p.With("@slug", slug), StoreRows.Organization, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<OrganizationRecord> CreateOrganizationAsync(string slug, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(slug);
        ArgumentNullException.ThrowIfNull(name);
        var created = StoreTime.Truncate(_time.GetUtcNow());
        var id = await ScalarAsync(InsertOrganization, p => p.With("@slug", slug).With("@name", name).With("@date_created", StoreTime.ToMicroseconds(created)), cancellationToken).ConfigureAwait(false);
        return id is long value ? new OrganizationRecord(value, slug, name, created) : throw new DuplicateSlugException("organization", slug);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ProjectRecord>> ListProjectsAsync(long organizationId, CancellationToken cancellationToken = default) =>
        ReadListAsync(SelectProjects, p => p.With("@organization_id", organizationId), StoreRows.Project, cancellationToken);

    /// <inheritdoc />
    public Task<ProjectRecord?> GetProjectAsync(long organizationId, string slug, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slug);
        return ReadOneAsync(SelectProjectBySlug, p => p.With("@organization_id", organizationId).With("@slug", slug), StoreRows.Project, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ProjectRecord?> GetProjectAsync(long projectId, CancellationToken cancellationToken = default) =>
        ReadOneAsync(SelectProjectById, p => p.With("@id", projectId), StoreRows.Project, cancellationToken);

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
        var id = await ScalarAsync(InsertProject, p => p
            .With("@organization_id", project.OrganizationId).With("@slug", project.Slug).With("@name", project.Name).WithText("@platform", project.Platform)
            .With("@date_created", StoreTime.ToMicroseconds(project.DateCreated)).With("@grouping_config_id", project.GroupingConfigId), cancellationToken).ConfigureAwait(false);
        return id is long value ? project with { Id = value } : throw new DuplicateSlugException("project", slug);
    }

    /// <inheritdoc />
    public async Task UpdateProjectAsync(ProjectRecord project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        try
        {
            await ExecuteAsync(UpdateProject, p => p
                .With("@id", project.Id).With("@slug", project.Slug).With("@name", project.Name).WithText("@platform", project.Platform)
                .With("@grouping_config_id", project.GroupingConfigId).With("@fingerprint_rules", project.FingerprintRules).With("@stack_trace_rules", project.StackTraceRules),
                cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException exception) when (exception.IsUniqueViolation())
        {
            throw new DuplicateSlugException("project", project.Slug);
        }
    }

    /// <inheritdoc />
    public async Task DeleteProjectAsync(long projectId, CancellationToken cancellationToken = default)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);

        // One batch is one transaction: the keys, the options and the project go together.
        await using var batch = _database.DataSource.CreateBatch();
        foreach (var sql in (ReadOnlySpan<string>)[DeleteProjectKeys, DeleteProjectOptions, DeleteProject])
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.With("@id", projectId);
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>> GetProjectOptionsAsync(long projectId, CancellationToken cancellationToken = default)
    {
        var rows = await ReadListAsync(SelectProjectOptions, p => p.With("@project_id", projectId), static r => (Key: r.GetString(0), Value: r.GetString(1)), cancellationToken).ConfigureAwait(false);
        var options = new Dictionary<string, string>(rows.Count, StringComparer.Ordinal);
        foreach (var (key, value) in rows)
        {
            options[key] = value;
        }

        return options;
    }

    /// <inheritdoc />
    public async Task SetProjectOptionsAsync(long projectId, IReadOnlyDictionary<string, string?> values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return;
        }

        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);

        // One batch is one transaction: a request's options change together.
        await using var batch = _database.DataSource.CreateBatch();
        foreach (var (key, value) in values)
        {
            var command = new NpgsqlBatchCommand(value is null ? DeleteProjectOption : UpsertProjectOption);
            command.Parameters.With("@project_id", projectId).With("@option_key", key);
            if (value is not null)
            {
                command.Parameters.With("@value_json", value);
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="KeyNotFoundException">The project does not exist.</exception>
    public async Task<long> NextIssueNumberAsync(long projectId, int count = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);

        // The row lock of the UPDATE serializes concurrent reservations, also across silos.
        var number = await ScalarAsync(IncrementIssueNumber, p => p.With("@id", projectId).With("@count", (long)count), cancellationToken).ConfigureAwait(false);
        return number as long? ?? throw new KeyNotFoundException($"Project {projectId} does not exist.");
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ProjectKeyRecord>> ListKeysAsync(long projectId, CancellationToken cancellationToken = default) =>
        ReadListAsync(SelectKeys, p => p.With("@project_id", projectId), StoreRows.Key, cancellationToken);

    /// <inheritdoc />
    public Task<ProjectKeyRecord?> FindKeyAsync(string publicKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return ReadOneAsync(SelectKey, p => p.With("@public_key", publicKey), StoreRows.Key, cancellationToken);
    }

    /// <inheritdoc />
    public Task CreateKeyAsync(ProjectKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ExecuteAsync(InsertKey, p => p
            .With("@project_id", key.ProjectId).With("@name", key.Name).With("@public_key", key.PublicKey).With("@secret_key", key.SecretKey)
            .With("@is_active", key.IsActive ? 1L : 0L).With("@date_created", StoreTime.ToMicroseconds(key.DateCreated))
            .WithInt64("@rate_limit_count", key.RateLimitCount).WithInt64("@rate_limit_window", key.RateLimitWindow), cancellationToken);
    }

    /// <inheritdoc />
    public Task UpdateKeyAsync(ProjectKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ExecuteAsync(UpdateKey, p => p.With("@public_key", key.PublicKey).With("@name", key.Name).With("@is_active", key.IsActive ? 1L : 0L)
            .WithInt64("@rate_limit_count", key.RateLimitCount).WithInt64("@rate_limit_window", key.RateLimitWindow), cancellationToken);
    }

    /// <inheritdoc />
    public Task<ScopeRateLimitRecord?> GetRateLimitAsync(string scope, long scopeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return ReadOneAsync(SelectRateLimit, p => p.With("@scope", scope).With("@scope_id", scopeId), StoreRows.RateLimit, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetRateLimitAsync(ScopeRateLimitRecord rateLimit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rateLimit);
        return rateLimit.IsEmpty
            ? ExecuteAsync(DeleteRateLimit, p => p.With("@scope", rateLimit.Scope).With("@scope_id", rateLimit.ScopeId), cancellationToken)
            : ExecuteAsync(UpsertRateLimit, p => p.With("@scope", rateLimit.Scope).With("@scope_id", rateLimit.ScopeId)
                .WithInt64("@limit_count", rateLimit.Count).WithInt64("@window_seconds", rateLimit.Window)
                .WithInt64("@share_percent", rateLimit.SharePercent), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteKeyAsync(string publicKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return await ExecuteAsync(DeleteKey, p => p.With("@public_key", publicKey), cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public Task<ApiTokenRecord?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        return ReadOneAsync(SelectToken, p => p.With("@token_hash", tokenHash), StoreRows.Token, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ApiTokenRecord> CreateTokenAsync(string name, string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(tokenHash);
        var created = StoreTime.Truncate(_time.GetUtcNow());
        var id = await ScalarAsync(InsertToken, p => p.With("@name", name).With("@token_hash", tokenHash).With("@date_created", StoreTime.ToMicroseconds(created)), cancellationToken).ConfigureAwait(false);
        return new ApiTokenRecord((long)id!, name, tokenHash, created);
    }

    /// <inheritdoc />
    public async Task<bool> AnyTokenAsync(CancellationToken cancellationToken = default) =>
        await ScalarAsync(SelectAnyToken, static _ => { }, cancellationToken).ConfigureAwait(false) is not null;

    private async Task<object?> ScalarAsync(string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(sql);
        bind(command.Parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    private async Task<int> ExecuteAsync(string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(sql);
        bind(command.Parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<T?> ReadOneAsync<T>(string sql, Action<NpgsqlParameterCollection> bind, Func<DbDataReader, T> map, CancellationToken cancellationToken)
        where T : class
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(sql);
        bind(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? map(reader) : null;
    }

    private async Task<IReadOnlyList<T>> ReadListAsync<T>(string sql, Action<NpgsqlParameterCollection> bind, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(sql);
        bind(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var items = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(map(reader));
        }

        return items;
    }
}
