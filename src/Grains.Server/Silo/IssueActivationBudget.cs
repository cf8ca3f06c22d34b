using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Grains.Monitoring.Issues;
using Microsoft.Extensions.Options;

namespace Grains.Server.Silo;

/// <summary>
/// Keeps the silo's issue-grain activations under <see cref="SiloMemoryOptions.MaxIssueActivations"/>: over the
/// cap, the least recently used ones that are not running a call are deactivated, down to nine tenths of it.
/// </summary>
/// <remarks>
/// <para>
/// Orleans collects an activation only after it has been idle for its collection age (half a minute for issue
/// grains) and sheds on memory pressure only against the machine's memory, so a flood of new issues held every
/// issue of the last half minute: 1.5–2 GB after 100,000 distinct issues (bench/results/ingest.md). Grains'
/// earlier runtime capped activations with least-recently-used shedding; this is that cap on Orleans.
/// </para>
/// <para>
/// It watches activations through Orleans' working-set observer (added, deactivating, deactivated) and every
/// call into an issue grain through an incoming call filter (stream deliveries included), which gives the time
/// of last use and whether a call is running. A deactivation here is Orleans' ordinary one: the grain has
/// written its state after every delivery, and its next event activates it again, reloads that state and
/// skips what it already applied by offset; nothing acknowledged is lost or counted twice.
/// </para>
/// </remarks>
public sealed partial class IssueActivationBudget : BackgroundService, IActivationWorkingSetObserver, IIncomingGrainCallFilter
{
    /// <summary>The name of the budget's Meter.</summary>
    public const string InstrumentationName = "Grains.Silo";

    private static readonly Meter Meter = new(InstrumentationName);
    private static readonly Counter<long> Shed = Meter.CreateCounter<long>("grains.silo.issue_activations.shed", "{activation}", "Issue-grain activations deactivated to keep the silo under its activation cap.");

    private static readonly DeactivationReason Reason = new(DeactivationReasonCode.HighMemoryPressure, "The silo holds more issue grains than Grains:Silo:Memory:MaxIssueActivations.");

    private readonly ConcurrentDictionary<IGrainContext, Usage> _activations = new(ReferenceEqualityComparer.Instance);
    private readonly SiloMemoryOptions _options;
    private readonly Func<IGrainContext, bool> _tracks;
    private readonly ILogger<IssueActivationBudget> _logger;
    private long _totalShed;

    /// <summary>Creates the budget for issue grains.</summary>
    public IssueActivationBudget(IOptions<SiloMemoryOptions> options, ILogger<IssueActivationBudget> logger)
        : this(options, static context => context.GrainInstance is IssueGrain, logger)
    {
    }

    /// <summary>Creates a budget for the activations <paramref name="tracks"/> selects (tests).</summary>
    internal IssueActivationBudget(IOptions<SiloMemoryOptions> options, Func<IGrainContext, bool> tracks, ILogger<IssueActivationBudget> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _tracks = tracks;
        _logger = logger;
    }

    /// <summary>The activations tracked now.</summary>
    public int Count => _activations.Count;

    /// <summary>Activations deactivated over the cap since the silo started.</summary>
    public long TotalShed => Interlocked.Read(ref _totalShed);

    /// <inheritdoc />
    public void OnAdded(IActivationWorkingSetMember member)
    {
        if (member is IGrainContext context && _tracks(context))
        {
            _activations.TryAdd(context, new Usage { LastUsed = Environment.TickCount64 });
        }
    }

    /// <inheritdoc />
    public void OnDeactivating(IActivationWorkingSetMember member) => Forget(member);

    /// <inheritdoc />
    public void OnDeactivated(IActivationWorkingSetMember member) => Forget(member);

    /// <inheritdoc />
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var target = context.TargetContext;
        if (target is null || !_tracks(target))
        {
            await context.Invoke();
            return;
        }

        var usage = _activations.GetOrAdd(target, static _ => new Usage());
        Interlocked.Increment(ref usage.Running);
        try
        {
            await context.Invoke();
        }
        finally
        {
            Volatile.Write(ref usage.LastUsed, Environment.TickCount64);
            Interlocked.Decrement(ref usage.Running);
        }
    }

    /// <summary>
    /// Deactivates the least recently used activations that are not running a call while more than the cap are
    /// tracked, down to nine tenths of it; returns how many it deactivated.
    /// </summary>
    internal int Trim()
    {
        var max = _options.MaxIssueActivations;
        var count = _activations.Count;
        if (max <= 0 || count <= max)
        {
            return 0;
        }

        var target = max - (max / 10);
        var candidates = new List<(IGrainContext Context, long LastUsed)>(count);
        foreach (var (context, usage) in _activations)
        {
            if (Volatile.Read(ref usage.Running) == 0)
            {
                candidates.Add((context, Volatile.Read(ref usage.LastUsed)));
            }
        }

        candidates.Sort(static (a, b) => a.LastUsed.CompareTo(b.LastUsed));
        var shed = 0;
        foreach (var (context, _) in candidates)
        {
            if (count - shed <= target)
            {
                break;
            }

            // Removed first: an entry the filter added after the activation had gone is dropped here too.
            if (_activations.TryRemove(context, out _))
            {
                context.Deactivate(Reason);
                shed++;
            }
        }

        Interlocked.Add(ref _totalShed, shed);
        Shed.Add(shed);
        LogTrimmed(shed, count, max);
        return shed;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.MaxIssueActivations <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(_options.CheckInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    Trim();
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // A failed pass leaves the activations to Orleans' idle collection until the next one.
                    LogTrimFailed(exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Forget(IActivationWorkingSetMember member)
    {
        if (member is IGrainContext context)
        {
            _activations.TryRemove(context, out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deactivated {Shed} of {Count} issue-grain activations (cap {Max})")]
    private partial void LogTrimmed(int shed, int count, int max);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not trim the issue-grain activations")]
    private partial void LogTrimFailed(Exception exception);

    private sealed class Usage
    {
        public int Running;
        public long LastUsed;
    }
}
