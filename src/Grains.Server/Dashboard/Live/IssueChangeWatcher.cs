using System.Globalization;
using Grains.Monitoring.Storage;
using Microsoft.Extensions.Options;

namespace Grains.Server.Dashboard.Live;

/// <summary>
/// The silo's watch over the issue store for live pages. While any page watches, it polls the store's
/// <see cref="IIssueStore.GetChangeMarkAsync">change mark</see> once per poll interval for each distinct
/// set of watched projects (pages watching the same projects share one poll) and notifies their pages
/// when the mark moved. The store is shared by every silo, so a page sees changes written anywhere in the
/// cluster with no affinity between the page and the issue's grain. With no page open it does nothing.
/// </summary>
/// <remarks>
/// <para>
/// A status change writes its activity just before the issue row, so a poll can see the mark move
/// before the row has changed: after every change the watchers are notified once more on the next poll,
/// which reads the settled row.
/// </para>
/// <para>
/// A page loads its rows before it watches, and the mark its first poll compares with is read after
/// that (the first poll of a new set of projects reads the baseline; a set already polled may have read
/// its mark after the page's load): a change written in between is already in the mark and would never
/// move it, so the page would miss it until something else changed. Each new watcher is therefore
/// notified on the first poll after it subscribed, whether or not the mark moved: its refresh reads the
/// store after that poll, and later changes move the mark. One extra refresh per page opened.
/// </para>
/// </remarks>
internal sealed partial class IssueChangeWatcher : IAsyncDisposable
{
    private readonly IIssueStore _store;
    private readonly LiveUpdateOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<IssueChangeWatcher> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, WatchedProjects> _watched = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public IssueChangeWatcher(IIssueStore store, IOptions<LiveUpdateOptions> options, TimeProvider time, ILogger<IssueChangeWatcher> logger)
    {
        _store = store;
        _options = options.Value;
        _time = time;
        _logger = logger;
        DashboardInstruments.Meter.CreateObservableGauge("grains.dashboard.live.watchers", CountWatchers, description: "Live pages watching issues on this silo.");
    }

    /// <summary>Pages watching on this silo now.</summary>
    public int CountWatchers()
    {
        lock (_lock)
        {
            return _watched.Values.Sum(w => w.Listeners.Count);
        }
    }

    /// <summary>
    /// Calls <paramref name="onChange"/> (on the poll's thread; it should only schedule work) whenever the
    /// issues of <paramref name="projectIds"/> change, until the returned subscription is disposed.
    /// </summary>
    public IDisposable Watch(IReadOnlyCollection<long> projectIds, Action onChange)
    {
        ArgumentNullException.ThrowIfNull(projectIds);
        ArgumentNullException.ThrowIfNull(onChange);
        var ids = projectIds.Distinct().Order().ToArray();
        var key = string.Join(',', ids.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        var listener = new Listener(onChange);
        lock (_lock)
        {
            if (!_watched.TryGetValue(key, out var watched))
            {
                _watched[key] = watched = new WatchedProjects(ids);
            }

            watched.Listeners.Add(listener);
            _loop ??= Task.Run(() => PollAsync(_stopping.Token));
        }

        return new Subscription(this, key, listener);
    }

    private void Unwatch(string key, Listener listener)
    {
        lock (_lock)
        {
            if (_watched.TryGetValue(key, out var watched) && watched.Listeners.Remove(listener) && watched.Listeners.Count == 0)
            {
                _watched.Remove(key);
            }
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.PollInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                WatchedProjects[] round;
                lock (_lock)
                {
                    if (_watched.Count == 0)
                    {
                        // Nobody watches: stop until the next page opens (it starts a new loop under this lock).
                        _loop = null;
                        return;
                    }

                    round = [.. _watched.Values];
                }

                foreach (var watched in round)
                {
                    await PollAsync(watched, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    private async Task PollAsync(WatchedProjects watched, CancellationToken cancellationToken)
    {
        IssueChangeMark mark;
        try
        {
            mark = await _store.GetChangeMarkAsync(watched.ProjectIds, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The next poll tries again; pages keep what they show.
            LogPollFailed(_logger, e);
            return;
        }

        DashboardInstruments.Polls.Add(1);
        var changed = watched.Mark is { } previous && previous != mark;
        var notify = changed || watched.SettlePending;
        watched.SettlePending = changed;
        watched.Mark = mark;
        if (notify)
        {
            DashboardInstruments.Changes.Add(1);
        }

        // Taken after the store read: a watcher that subscribed during it is caught up by this poll.
        Listener[] listeners;
        lock (_lock)
        {
            listeners = [.. watched.Listeners.Where(listener => notify || !listener.CaughtUp)];
            foreach (var listener in listeners)
            {
                listener.CaughtUp = true;
            }
        }

        foreach (var listener in listeners)
        {
            try
            {
                listener.OnChange();
            }
            catch (Exception e)
            {
                LogListenerFailed(_logger, e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task? loop;
        lock (_lock)
        {
            loop = _loop;
        }

        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live pages: polling the issue store failed; trying again on the next poll")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live pages: a page failed to take a change notification")]
    private static partial void LogListenerFailed(ILogger logger, Exception exception);

    /// <summary>One set of projects some pages watch, with the mark its last poll saw.</summary>
    private sealed class WatchedProjects(long[] projectIds)
    {
        public long[] ProjectIds { get; } = projectIds;

        public List<Listener> Listeners { get; } = [];

        public IssueChangeMark? Mark { get; set; }

        public bool SettlePending { get; set; }
    }

    /// <summary>One page's callback (a reference, so the same delegate can watch twice).</summary>
    private sealed class Listener(Action onChange)
    {
        public Action OnChange { get; } = onChange;

        /// <summary>Whether a poll that ran after it subscribed has notified it (under the watcher's lock).</summary>
        public bool CaughtUp { get; set; }
    }

    private sealed class Subscription(IssueChangeWatcher watcher, string key, Listener listener) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                watcher.Unwatch(key, listener);
            }
        }
    }
}
