using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Grains.Streaming.Tests;

/// <summary>Sums the <c>Grains.Streaming</c> counters measured for the test provider while it lives.</summary>
public sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _sums = new();

    public MetricsRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StreamingInstruments.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "provider" && Equals(tag.Value, StreamTests.Provider))
                {
                    _sums.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
                }
            }
        });
        _listener.Start();
    }

    public long Sum(string instrument) => _sums.GetValueOrDefault(instrument);

    public void Dispose() => _listener.Dispose();
}
