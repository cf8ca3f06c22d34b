using Grains.Monitoring.Storage;
using Grains.Monitoring.Storage.Relational;
using Grains.Sqlite;
using Microsoft.Data.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary>
/// <see cref="IDirectoryStore"/> in the shared <see cref="SqliteDatabase"/>: organizations,
/// projects, DSN keys and hashed API tokens.
/// </summary>
public sealed class SqliteDirectoryStore : IDirectoryStore
{
    private const string OrganizationColumns = StoreRows.OrganizationColumns;

    private const string ProjectColumns = StoreRows.ProjectColumns;

    private const string KeyColumns = StoreRows.KeyColumns;

    private const string TokenColumns = StoreRows.TokenColumns;

    private const string SelectOrganizations = $"SELECT {OrganizationColumns} FROM organizations ORDER BY slug";

    private const string SelectOrganization = $"SELECT {OrganizationColumns} FROM organizations WHERE slug = @slug";

    // A taken slug inserts nothing and returns no row: the duplicate is detected without parsing constraint errors.
    private const string InsertOrganization = """
        INSERT INTO organizations (slug, name, date_created) VALUES (@slug, @name, @date_created)
        ON CONFLICT (slug) DO NOTHING RETURNING id
        """;

    private const string SelectProjects = $"SELECT {ProjectColumns} FROM projects WHERE organization_id = @organization_id ORDER BY slug";

    private const string SelectProjectBySlug = $"SELECT {ProjectColumns} FROM projects WHERE organization_id = @organization_id AND slug = @slug";

    private const string SelectProjectById = $"SELECT {ProjectColumns} FROM projects WHERE id = @id";

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

    private const string SelectKeys = $"SELECT {KeyColumns} FROM project_keys WHERE project_id = @project_id ORDER BY date_created, public_key";

    private const string SelectKey = $"SELECT {KeyColumns} FROM project_keys WHERE public_key = @public_key";

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

    private const string SelectToken = $"SELECT {TokenColumns} FROM api_tokens WHERE token_hash = @token_hash";

    private const string InsertToken = "INSERT INTO api_tokens (name, token_hash, date_created) VALUES (@name, @token_hash, @date_created) RETURNING id";

    private const string SelectAnyToken = "SELECT 1 FROM api_tokens LIMIT 1";

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;

    /// <summary>Creates the store over <paramref name="database"/> (not owned), creating or migrating the monitoring tables.</summary>
    /// <param name="database">The shared database.</param>
    /// <param name="time">The clock for creation dates (the system clock when null).</param>
    public SqliteDirectoryStore(SqliteDatabase database, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _time = time ?? TimeProvider.System;
        database.Migrate(MonitoringSchema.Component, MonitoringSchema.Migrations);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OrganizationRecord>> ListOrganizationsAsync(CancellationToken cancellationToken = default) =>
        ReadList(SelectOrganizations, static _ => { }, StoreRows.Organization, cancellationToken);

    /// <inheritdoc />
    public Task<OrganizationRecord?> GetOrganizationAsync(string slug, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slug);
        return ReadOne(SelectOrganization, command => command.Set("@slug", slug), StoreRows.Organization, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<OrganizationRecord> CreateOrganizationAsync(string slug, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(slug);
        ArgumentNullException.ThrowIfNull(name);
        var created = StoreTime.Truncate(_time.GetUtcNow());
        var id = await _database.WriteAsync("directory.organization.create", (slug, name, created), static (connection, s) =>
            connection.Prepared(InsertOrganization)
                .Set("@slug", s.slug).Set("@name", s.name).Set("@date_created", StoreTime.ToMicroseconds(s.created))
                .ExecuteScalar() as long?, cancellationToken).ConfigureAwait(false);
        return id is { } value ? new OrganizationRecord(value, slug, name, created) : throw new DuplicateSlugException("organization", slug);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ProjectRecord>> ListProjectsAsync(long organizationId, CancellationToken cancellationToken = default) =>
        ReadList(SelectProjects, command => command.Set("@organization_id", organizationId), StoreRows.Project, cancellationToken);

    /// <inheritdoc />
    public Task<ProjectRecord?> GetProjectAsync(long organizationId, string slug, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slug);
        return ReadOne(SelectProjectBySlug, command => command.Set("@organization_id", organizationId).Set("@slug", slug), StoreRows.Project, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ProjectRecord?> GetProjectAsync(long projectId, CancellationToken cancellationToken = default) =>
        ReadOne(SelectProjectById, command => command.Set("@id", projectId), StoreRows.Project, cancellationToken);

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
        var id = await _database.WriteAsync("directory.project.create", project, static (connection, p) =>
            connection.Prepared(InsertProject)
                .Set("@organization_id", p.OrganizationId).Set("@slug", p.Slug).Set("@name", p.Name).Set("@platform", p.Platform)
                .Set("@date_created", StoreTime.ToMicroseconds(p.DateCreated)).Set("@grouping_config_id", p.GroupingConfigId)
                .ExecuteScalar() as long?, cancellationToken).ConfigureAwait(false);
        return id is { } value ? project with { Id = value } : throw new DuplicateSlugException("project", slug);
    }

    /// <inheritdoc />
    public async Task UpdateProjectAsync(ProjectRecord project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        var taken = await _database.WriteAsync("directory.project.update", project, static (connection, p) =>
        {
            // Checked inside the write: the writer is the only one changing slugs, so nothing can slip in between.
            if (connection.Prepared(SelectSlugOwner).Set("@organization_id", p.OrganizationId).Set("@slug", p.Slug).ExecuteScalar() is long owner && owner != p.Id)
            {
                return true;
            }

            connection.Prepared(UpdateProject)
                .Set("@id", p.Id).Set("@slug", p.Slug).Set("@name", p.Name).Set("@platform", p.Platform)
                .Set("@grouping_config_id", p.GroupingConfigId).Set("@fingerprint_rules", p.FingerprintRules).Set("@stack_trace_rules", p.StackTraceRules)
                .ExecuteNonQuery();
            return false;
        }, cancellationToken).ConfigureAwait(false);
        if (taken)
        {
            throw new DuplicateSlugException("project", project.Slug);
        }
    }

    /// <inheritdoc />
    public Task DeleteProjectAsync(long projectId, CancellationToken cancellationToken = default) =>
        _database.WriteAsync("directory.project.delete", projectId, static (connection, id) =>
        {
            connection.Prepared(DeleteProjectKeys).Set("@id", id).ExecuteNonQuery();
            connection.Prepared(DeleteProjectOptions).Set("@id", id).ExecuteNonQuery();
            return connection.Prepared(DeleteProject).Set("@id", id).ExecuteNonQuery();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, string>> GetProjectOptionsAsync(long projectId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read(projectId, static (connection, id) =>
        {
            var command = connection.Prepared(SelectProjectOptions).Set("@project_id", id);
            using var reader = command.ExecuteReader();
            var options = new Dictionary<string, string>(StringComparer.Ordinal);
            while (reader.Read())
            {
                options[reader.GetString(0)] = reader.GetString(1);
            }

            return (IReadOnlyDictionary<string, string>)options;
        }));
    }

    /// <inheritdoc />
    public Task SetProjectOptionsAsync(long projectId, IReadOnlyDictionary<string, string?> values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        return _database.WriteAsync("directory.project.options", (projectId, values), static (connection, s) =>
        {
            foreach (var (key, value) in s.values)
            {
                if (value is null)
                {
                    connection.Prepared(DeleteProjectOption).Set("@project_id", s.projectId).Set("@option_key", key).ExecuteNonQuery();
                }
                else
                {
                    connection.Prepared(UpsertProjectOption).Set("@project_id", s.projectId).Set("@option_key", key).Set("@value_json", value).ExecuteNonQuery();
                }
            }

            return s.values.Count;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="KeyNotFoundException">The project does not exist.</exception>
    public async Task<long> NextIssueNumberAsync(long projectId, int count = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var number = await _database.WriteAsync("directory.project.issue-number", (projectId, count), static (connection, request) =>
            connection.Prepared(IncrementIssueNumber).Set("@id", request.projectId).Set("@count", request.count).ExecuteScalar() as long?, cancellationToken).ConfigureAwait(false);
        return number ?? throw new KeyNotFoundException($"Project {projectId} does not exist.");
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ProjectKeyRecord>> ListKeysAsync(long projectId, CancellationToken cancellationToken = default) =>
        ReadList(SelectKeys, command => command.Set("@project_id", projectId), StoreRows.Key, cancellationToken);

    /// <inheritdoc />
    public Task<ProjectKeyRecord?> FindKeyAsync(string publicKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return ReadOne(SelectKey, command => command.Set("@public_key", publicKey), StoreRows.Key, cancellationToken);
    }

    /// <inheritdoc />
    public Task CreateKeyAsync(ProjectKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _database.WriteAsync("directory.key.create", key, static (connection, k) =>
            connection.Prepared(InsertKey)
                .Set("@project_id", k.ProjectId).Set("@name", k.Name).Set("@public_key", k.PublicKey).Set("@secret_key", k.SecretKey)
                .Set("@is_active", k.IsActive ? 1L : 0L).Set("@date_created", StoreTime.ToMicroseconds(k.DateCreated))
                .Set("@rate_limit_count", k.RateLimitCount).Set("@rate_limit_window", k.RateLimitWindow)
                .ExecuteNonQuery(), cancellationToken);
    }

    /// <inheritdoc />
    public Task UpdateKeyAsync(ProjectKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _database.WriteAsync("directory.key.update", key, static (connection, k) =>
            connection.Prepared(UpdateKey).Set("@public_key", k.PublicKey).Set("@name", k.Name).Set("@is_active", k.IsActive ? 1L : 0L)
                .Set("@rate_limit_count", k.RateLimitCount).Set("@rate_limit_window", k.RateLimitWindow).ExecuteNonQuery(),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<ScopeRateLimitRecord?> GetRateLimitAsync(string scope, long scopeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return ReadOne(SelectRateLimit, command => command.Set("@scope", scope).Set("@scope_id", scopeId), StoreRows.RateLimit, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetRateLimitAsync(ScopeRateLimitRecord rateLimit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rateLimit);
        return _database.WriteAsync("directory.ratelimit.set", rateLimit, static (connection, r) =>
            r.IsEmpty
                ? connection.Prepared(DeleteRateLimit).Set("@scope", r.Scope).Set("@scope_id", r.ScopeId).ExecuteNonQuery()
                : connection.Prepared(UpsertRateLimit).Set("@scope", r.Scope).Set("@scope_id", r.ScopeId).Set("@limit_count", r.Count)
                    .Set("@window_seconds", r.Window).Set("@share_percent", (long?)r.SharePercent).ExecuteNonQuery(),
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteKeyAsync(string publicKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var deleted = await _database.WriteAsync("directory.key.delete", publicKey, static (connection, k) =>
            connection.Prepared(DeleteKey).Set("@public_key", k).ExecuteNonQuery(), cancellationToken).ConfigureAwait(false);
        return deleted > 0;
    }

    /// <inheritdoc />
    public Task<ApiTokenRecord?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        return ReadOne(SelectToken, command => command.Set("@token_hash", tokenHash), StoreRows.Token, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ApiTokenRecord> CreateTokenAsync(string name, string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(tokenHash);
        var created = StoreTime.Truncate(_time.GetUtcNow());
        var id = await _database.WriteAsync("directory.token.create", (name, tokenHash, created), static (connection, s) =>
            (long)connection.Prepared(InsertToken)
                .Set("@name", s.name).Set("@token_hash", s.tokenHash).Set("@date_created", StoreTime.ToMicroseconds(s.created))
                .ExecuteScalar()!, cancellationToken).ConfigureAwait(false);
        return new ApiTokenRecord(id, name, tokenHash, created);
    }

    /// <inheritdoc />
    public Task<bool> AnyTokenAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read(static connection => connection.Prepared(SelectAnyToken).ExecuteScalar() is not null));
    }

    private Task<T?> ReadOne<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
        where T : class
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((sql, bind, map), static (connection, s) =>
        {
            var command = connection.Prepared(s.sql);
            s.bind(command);
            using var reader = command.ExecuteReader();
            return reader.Read() ? s.map(reader) : null;
        }));
    }

    private Task<IReadOnlyList<T>> ReadList<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((sql, bind, map), static (connection, s) =>
        {
            var command = connection.Prepared(s.sql);
            s.bind(command);
            using var reader = command.ExecuteReader();
            var items = new List<T>();
            while (reader.Read())
            {
                items.Add(s.map(reader));
            }

            return (IReadOnlyList<T>)items;
        }));
    }
}
