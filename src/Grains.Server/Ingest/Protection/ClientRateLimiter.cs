using System.Collections.Concurrent;
using System.Net;
using Grains.Monitoring.Filters;
using Microsoft.Extensions.Options;

namespace Grains.Server.Ingest.Protection;

/// <summary>
/// Token buckets per client address, in this silo's memory (no grain call, no store: the guard must
/// be cheaper than what it protects). Each silo limits on its own, so behind a balancer spreading one
/// client over N silos the client's total is at most N times the rate.
/// </summary>
public sealed class ClientRateLimiter
{
    private readonly ConcurrentDictionary<IPAddress, Bucket> _buckets = new();
    private readonly IpRange[] _exempt;
    private readonly double _rate;
    private readonly double _burst;
    private readonly int _maxTracked;
    private readonly TimeProvider _time;
    private long _lastSweep;

    public ClientRateLimiter(IOptions<ClientGuardOptions> options, TimeProvider? time = null)
    {
        var value = options.Value;
        // A list default would be appended to by configuration binding, so loopback is a switch of its own.
        IEnumerable<string> exempt = value.ExemptLoopback ? ["127.0.0.0/8", "::1/128", .. value.ExemptNetworks] : value.ExemptNetworks;
        _exempt = [.. exempt.Select(n => IpRange.TryParse(n.Trim(), out var range) ? range : throw new ArgumentException($"Not a network: {n}"))];
        _rate = value.RequestsPerSecond;
        _burst = value.Burst;
        _maxTracked = value.MaxTrackedAddresses;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Addresses currently tracked.</summary>
    public int Tracked => _buckets.Count;

    /// <summary>Takes a token for <paramref name="address"/>; when none is left, false and how long until one is.</summary>
    public bool TryTake(IPAddress? address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (address is null || IsExempt(address))
        {
            return true;
        }

        var now = _time.GetUtcNow().UtcTicks;
        if (_buckets.Count >= _maxTracked)
        {
            Sweep(now);
        }

        var bucket = _buckets.GetOrAdd(address, static (_, state) => new Bucket(state.burst, state.now), (burst: _burst, now));
        lock (bucket)
        {
            var elapsed = Math.Max(0, now - bucket.Updated) / (double)TimeSpan.TicksPerSecond;
            bucket.Tokens = Math.Min(_burst, bucket.Tokens + (elapsed * _rate));
            bucket.Updated = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - bucket.Tokens) / _rate);
            return false;
        }
    }

    private bool IsExempt(IPAddress address)
    {
        foreach (var range in _exempt)
        {
            if (range.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    // Drops the buckets that have refilled completely (an address idle for Burst / Rate seconds is
    // indistinguishable from a new one). At most once a second, so a flood of new addresses costs one
    // pass per second, not one per request.
    private void Sweep(long now)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (now - last < TimeSpan.TicksPerSecond || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        var idleTicks = (long)(_burst / _rate * TimeSpan.TicksPerSecond);
        foreach (var (address, bucket) in _buckets)
        {
            if (now - bucket.Updated >= idleTicks)
            {
                _buckets.TryRemove(address, out _);
            }
        }
    }

    private sealed class Bucket(double tokens, long updated)
    {
        public double Tokens = tokens;
        public long Updated = updated;
    }
}
