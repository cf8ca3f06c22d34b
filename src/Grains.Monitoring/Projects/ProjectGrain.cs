using System.Text.Json;
using Grains.Monitoring.Grouping;
using Grains.Monitoring.Projects.Options;
using Grains.Monitoring.Storage;


namespace Grains.Monitoring.Projects;

/// <inheritdoc cref="IProjectGrain"/>
public sealed class ProjectGrain(IDirectoryStore directory, ProjectChangeNotifier notifier, TimeProvider time) : Grain, IProjectGrain
{
    /// <summary>Issue ids are the project id times this plus the project's issue number, so they are unique without a global counter.</summary>
    public const long IssueIdStride = 1_000_000_000L;

    /// <summary>Issue numbers reserved per durable write; numbers of a block not handed out before deactivation are skipped.</summary>
    public const int IssueNumberBlock = 100;

    private ProjectRecord? _project;
    private ProjectOptions _options = ProjectOptions.Empty;
    private long _nextNumber;
    private long _blockEnd = -1;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _project = await directory.GetProjectAsync(this.GetPrimaryKeyLong(), cancellationToken);
        if (_project is not null)
        {
            _options = ProjectOptions.From(await directory.GetProjectOptionsAsync(_project.Id, cancellationToken));
        }
    }

    public Task<ProjectRecord?> GetAsync() => Task.FromResult(_project);

    public Task<ProjectOptions> GetOptionsAsync() => Task.FromResult(_options);

    public async Task<ProjectOptionsUpdate> UpdateOptionsAsync(IReadOnlyDictionary<string, string> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var project = Require();
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var changes = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, input) in inputs)
        {
            if (ProjectOptionRegistry.Default.Find(key) is not { } option)
            {
                errors[key] = "Unknown option.";
                continue;
            }

            ProjectOptionParse parsed;
            try
            {
                using var document = JsonDocument.Parse(input);
                parsed = option.Parse(document.RootElement);
            }
            catch (JsonException)
            {
                parsed = ProjectOptionParse.Invalid("Not a JSON value.");
            }

            if (parsed.IsValid)
            {
                changes[key] = parsed.ValueJson;
            }
            else
            {
                errors[key] = parsed.Error!;
            }
        }

        if (errors.Count > 0)
        {
            return new ProjectOptionsUpdate(null, errors);
        }

        if (changes.Count > 0)
        {
            await directory.SetProjectOptionsAsync(project.Id, changes);
            _options = _options.With(changes);
            notifier.Notify(project.Id);
        }

        return new ProjectOptionsUpdate(_options, errors);
    }

    public async Task<ProjectRecord> UpdateAsync(ProjectUpdate update)
    {
        var project = Require();
        if (update.FingerprintRules is not null || update.StackTraceRules is not null)
        {
            try
            {
                _ = GroupingConfig.ForProject(update.StackTraceRules ?? project.StackTraceRules, update.FingerprintRules ?? project.FingerprintRules);
            }
            catch (FormatException exception)
            {
                throw new ArgumentException(exception.Message, exception);
            }
        }

        var updated = project with
        {
            Name = update.Name ?? project.Name,
            Slug = update.Slug ?? project.Slug,
            Platform = update.Platform ?? project.Platform,
            FingerprintRules = update.FingerprintRules ?? project.FingerprintRules,
            StackTraceRules = update.StackTraceRules ?? project.StackTraceRules,
        };
        await directory.UpdateProjectAsync(updated);
        _project = updated;
        notifier.Notify(project.Id);
        return updated;
    }

    public async Task<(long IssueId, long ShortNumber)> AllocateIssueAsync()
    {
        var project = Require();
        if (_nextNumber > _blockEnd)
        {
            _nextNumber = await directory.NextIssueNumberAsync(project.Id, IssueNumberBlock);
            _blockEnd = _nextNumber + IssueNumberBlock - 1;
        }

        var number = _nextNumber++;
        return (project.Id * IssueIdStride + number, number);
    }

    public async Task<ProjectKeyRecord> CreateKeyAsync(string name)
    {
        var project = Require();
        var key = new ProjectKeyRecord
        {
            ProjectId = project.Id,
            Name = name,
            PublicKey = ProjectKeys.NewKey(),
            SecretKey = ProjectKeys.NewKey(),
            DateCreated = time.GetUtcNow(),
        };
        await directory.CreateKeyAsync(key);
        notifier.Notify(project.Id);
        return key;
    }

    public async Task<ProjectKeyRecord?> UpdateKeyAsync(string publicKey, string? name, bool? isActive)
    {
        var project = Require();
        var key = await directory.FindKeyAsync(publicKey);
        if (key is null || key.ProjectId != project.Id)
        {
            return null;
        }

        var updated = key with { Name = name ?? key.Name, IsActive = isActive ?? key.IsActive };
        await directory.UpdateKeyAsync(updated);
        notifier.Notify(project.Id);
        return updated;
    }

    public async Task<ProjectKeyRecord?> SetKeyRateLimitAsync(string publicKey, long? count, long? window)
    {
        var project = Require();
        var key = await directory.FindKeyAsync(publicKey);
        if (key is null || key.ProjectId != project.Id)
        {
            return null;
        }

        // Sentry keeps both fields or neither: a half-set limit clears the limit.
        var set = count is not null && window is not null;
        var updated = key with { RateLimitCount = set ? count : null, RateLimitWindow = set ? window : null };
        await directory.UpdateKeyAsync(updated);
        notifier.Notify(project.Id);
        return updated;
    }

    public async Task<bool> DeleteKeyAsync(string publicKey)
    {
        var project = Require();
        var key = await directory.FindKeyAsync(publicKey);
        if (key is null || key.ProjectId != project.Id)
        {
            return false;
        }

        await directory.DeleteKeyAsync(publicKey);
        notifier.Notify(project.Id);
        return true;
    }

    public async Task DeleteAsync()
    {
        var project = Require();
        await directory.DeleteProjectAsync(project.Id);
        _project = null;
        notifier.Notify(project.Id);
        DeactivateOnIdle();
    }

    private ProjectRecord Require() => _project ?? throw new KeyNotFoundException($"Project {this.GetPrimaryKeyLong()} does not exist.");
}
