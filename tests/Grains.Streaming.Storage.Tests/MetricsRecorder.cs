using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Grains.Streaming.Storage.Tests;

/// <summary>Records the <c>Grains.Streaming</c> counters while it lives, by instrument and tag.</summary>
public sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Name, long Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();

    public MetricsRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StreamingInstruments.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, tags.ToArray())));
        _listener.Start();
    }

    /// <summary>The sum of an instrument's measurements whose tag <paramref name="tag"/> is <paramref name="value"/> (all when no tag is given).</summary>
    public long Sum(string name, string? tag = null, object? value = null) =>
        _measurements.Where(m => m.Name == name && (tag is null || m.Tags.Any(t => t.Key == tag && Equals(t.Value, value)))).Sum(m => m.Value);

    /// <summary>How many measurements an instrument recorded.</summary>
    public int Count(string name) => _measurements.Count(m => m.Name == name);

    public void Dispose() => _listener.Dispose();
}
