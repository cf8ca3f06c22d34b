using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grains.Monitoring.Events;
using Grains.Monitoring.Pipeline.Steps;
using Grains.Streaming;

namespace Grains.Monitoring.Pipeline;

/// <summary>
/// The ingest pipeline: an ordered list of small named steps run for each event, then one durable
/// append of the envelope's events to the ingest stream (<see cref="IngestStream"/>, one stream per issue grain)
/// through the configured <see cref="IIngestStreamProducer"/>. Nothing is acknowledged to the SDK before that
/// append completes.
/// </summary>
public sealed class EventPipeline
{
    /// <summary>The name of the pipeline's ActivitySource and Meter.</summary>
    public const string InstrumentationName = "Grains.Pipeline";

    private static readonly ActivitySource Source = new(InstrumentationName);
    private static readonly Meter Meter = new(InstrumentationName);
    private static readonly Counter<long> Processed = Meter.CreateCounter<long>("grains.ingest.events", "{event}", "Events accepted into the event stream.");
    private static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>("grains.ingest.step.duration", "s", "Duration of one pipeline step for one event.");

    private readonly IReadOnlyList<IEventPipelineStep> _steps;
    private readonly IIngestStreamProducer _producer;

    public EventPipeline(NormalizeEventStep normalize, ComputeGroupingStep group, DeriveFactsStep facts, LocateIssueStep locate, EncodeStreamItemStep encode, IIngestStreamProducer producer)
    {
        _steps = [normalize, group, facts, locate, encode];
        _producer = producer;
    }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<IEventPipelineStep> Steps => _steps;

    /// <summary>Runs every step for each event, then appends them all durably.</summary>
    public async Task ProcessAsync(IReadOnlyList<EventContext> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        using var activity = Source.StartActivity("ingest events");
        var measure = StepDuration.Enabled;
        foreach (var context in events)
        {
            foreach (var step in _steps)
            {
                var started = measure ? Stopwatch.GetTimestamp() : 0;
                await step.RunAsync(context, cancellationToken);
                if (measure)
                {
                    StepDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("step", step.Name));
                }
            }
        }

        var messages = new DurableLogMessage[events.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            // The encoded item is a fresh array no one writes to: the log keeps it rather than copying it.
            messages[i] = new DurableLogMessage(IngestStream.For(events[i].IssueGrainKey!), events[i].StreamPayload!) { PayloadHandedOver = true };
        }

        await _producer.PublishAsync(messages, cancellationToken);
        Processed.Add(events.Count);
    }
}
