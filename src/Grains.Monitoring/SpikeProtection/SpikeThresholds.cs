using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using Grains.Ingestion.Envelopes;
using Grains.Monitoring.Outcomes;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Projects.Options;
using Grains.Monitoring.RateLimits;
using Grains.Monitoring.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grains.Monitoring.SpikeProtection;

/// <summary>
/// Each project's hourly spike thresholds per data category (the admission's <see cref="ISpikeProtection"/>), held in memory for the ingest edge and
/// recomputed from the stored outcomes (<see cref="RefreshAsync"/>, hourly): the edge's question costs
/// a dictionary lookup, never a database read.
/// </summary>
/// <remarks>
/// A project's hour counts its <c>accepted</c> items and the items spike protection dropped
/// (<c>rate_limited</c> with reason <c>smart_rate_limit</c>), summed over DSN keys; <c>default</c> and
/// <c>security</c> count as <c>error</c>, as Sentry's stats do. Projects with less than
/// <see cref="SpikeProtectionOptions.MinimumHistory"/> of outcomes, projects with
/// <c>quotas:spike-protection-disabled</c>, and everything when spike protection is off, have no threshold.
/// </remarks>
public sealed class SpikeThresholds : ISpikeProtection
{
    /// <summary>The reason code of spike protection's drops.</summary>
    public const string Reason = ReasonCodes.SmartRateLimit;

    private const long Hour = 3600;

    private static readonly Meter Meter = new(OutcomeDiagnostics.Name);

    private readonly IOutcomeStore _store;
    private readonly IDirectoryStore _directory;
    private readonly SpikeProtectionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private volatile Snapshot _snapshot = Snapshot.Empty;
    private volatile FrozenSet<long> _disabled = FrozenSet<long>.Empty;

    public SpikeThresholds(IOutcomeStore store, IDirectoryStore directory, ProjectChangeNotifier? notifier = null, SpikeProtectionOptions? options = null, TimeProvider? time = null, ILogger<SpikeThresholds>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(directory);
        _store = store;
        _directory = directory;
        _options = options ?? new SpikeProtectionOptions();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<SpikeThresholds>.Instance;
        if (notifier is not null)
        {
            // A project switched on or off takes effect now, not at the next hourly refresh.
            notifier.Changed += projectId => _ = ReloadSwitchAsync(projectId);
        }

        Meter.CreateObservableGauge("grains.spike_protection.thresholds", () => _snapshot.Thresholds.Count, "{threshold}",
            "Project and category thresholds spike protection holds (projects with a baseline, not opted out).");
    }

    /// <summary>The hour (unix seconds of its start) the thresholds were computed for, or null before the first refresh.</summary>
    public long? ComputedFor => _snapshot.HourStart;

    /// <inheritdoc />
    /// <remarks>A lookup in the thresholds of the current hour (default and security read error's); no store read.</remarks>
    public long? HourlyThreshold(long organizationId, long projectId, DataCategory category)
    {
        if (!_options.Enabled || _disabled.Contains(projectId))
        {
            return null;
        }

        return _snapshot.Thresholds.TryGetValue((projectId, Normalize(category.Name)), out var threshold) ? threshold : null;
    }

    /// <summary>The project's thresholds by category (empty when it has none), for the API.</summary>
    public IReadOnlyDictionary<string, long> ForProject(long projectId) =>
        !_options.Enabled || _disabled.Contains(projectId)
            ? new Dictionary<string, long>()
            : _snapshot.Thresholds.Where(t => t.Key.ProjectId == projectId).ToDictionary(t => t.Key.Category, t => t.Value, StringComparer.Ordinal);

    /// <summary>Whether the project opted out.</summary>
    public bool IsDisabled(long projectId) => !_options.Enabled || _disabled.Contains(projectId);

    /// <summary>Recomputes every threshold for the current hour from the last week's outcomes, and re-reads the projects' switches.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var hour = now - (((now % Hour) + Hour) % Hour);
        var rows = await _store.ReadAsync(null, hour - (SpikeThresholdFormula.WindowHours * Hour), hour, cancellationToken).ConfigureAwait(false);
        var thresholds = Compute(rows, hour, _options);

        var disabled = new HashSet<long>();
        foreach (var projectId in thresholds.Keys.Select(k => k.ProjectId).Distinct())
        {
            if (await IsOptedOutAsync(projectId, cancellationToken).ConfigureAwait(false))
            {
                disabled.Add(projectId);
            }
        }

        _disabled = disabled.ToFrozenSet();
        _snapshot = new Snapshot(hour, thresholds.ToFrozenDictionary());
        SpikeProtectionLog.Refreshed(_logger, thresholds.Count, disabled.Count, DateTimeOffset.FromUnixTimeSeconds(hour));
    }

    /// <summary>
    /// The thresholds for the hour starting at <paramref name="hourStart"/> from outcome rows of the week
    /// before it, per (project, category): projects whose first counted hour is less than
    /// <see cref="SpikeProtectionOptions.MinimumHistory"/> back get none.
    /// </summary>
    public static Dictionary<(long ProjectId, string Category), long> Compute(IEnumerable<OutcomeRow> rows, long hourStart, SpikeProtectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        var window = SpikeThresholdFormula.WindowHours;
        var histories = new Dictionary<(long, string), HourCount[]>();
        var firstHour = new Dictionary<long, long>();
        foreach (var row in rows)
        {
            var age = (int)((hourStart - row.HourStart) / Hour);
            var dropped = row.Outcome == OutcomeKind.RateLimited && row.Reason == Reason;
            if (age < 1 || age > window || (row.Outcome != OutcomeKind.Accepted && !dropped))
            {
                continue;
            }

            var key = (row.ProjectId, Normalize(row.Category));
            if (!histories.TryGetValue(key, out var history))
            {
                histories[key] = history = new HourCount[window];
            }

            ref var slot = ref history[window - age];
            slot = dropped ? slot with { Dropped = slot.Dropped + row.Quantity } : slot with { Accepted = slot.Accepted + row.Quantity };
            firstHour[row.ProjectId] = Math.Min(firstHour.GetValueOrDefault(row.ProjectId, long.MaxValue), row.HourStart);
        }

        var result = new Dictionary<(long, string), long>();
        var floor = SpikeThresholdFormula.Floor(options.MinimumThreshold, null, 1);
        foreach (var (key, history) in histories)
        {
            if (hourStart - firstHour[key.Item1] >= (long)options.MinimumHistory.TotalSeconds)
            {
                result[key] = SpikeThresholdFormula.Threshold(history, floor);
            }
        }

        return result;
    }

    /// <summary>Sentry's stats count default and security events as errors; so does the threshold.</summary>
    private static string Normalize(string category) => category is "default" or "security" ? "error" : category;

    private async Task<bool> IsOptedOutAsync(long projectId, CancellationToken cancellationToken) =>
        SpikeProtectionDisabledOption.Instance.Read(ProjectOptions.From(await _directory.GetProjectOptionsAsync(projectId, cancellationToken).ConfigureAwait(false)));

    private async Task ReloadSwitchAsync(long projectId)
    {
        try
        {
            var off = await IsOptedOutAsync(projectId, CancellationToken.None).ConfigureAwait(false);
            var current = _disabled;
            if (off != current.Contains(projectId))
            {
                _disabled = (off ? current.Append(projectId) : current.Where(p => p != projectId)).ToFrozenSet();
                SpikeProtectionLog.Switched(_logger, projectId, !off);
            }
        }
        catch (Exception exception)
        {
            // The next hourly refresh reads the switch again.
            SpikeProtectionLog.SwitchReloadFailed(_logger, exception, projectId);
        }
    }

    private sealed record Snapshot(long? HourStart, FrozenDictionary<(long ProjectId, string Category), long> Thresholds)
    {
        public static Snapshot Empty { get; } = new(null, FrozenDictionary<(long, string), long>.Empty);
    }
}
