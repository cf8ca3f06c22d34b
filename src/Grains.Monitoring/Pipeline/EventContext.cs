using System.Text.Json.Nodes;
using Grains.Ingestion.Normalization;
using Grains.Monitoring.Events;
using Grains.Monitoring.Grouping;
using Grains.Monitoring.Projects;

namespace Grains.Monitoring.Pipeline;

/// <summary>One event travelling through the ingest pipeline; each step fills in its part.</summary>
public sealed class EventContext(ResolvedKey key, ReadOnlyMemory<byte> rawJson, NormalizationContext normalization)
{
    public ResolvedKey Key { get; } = key;

    /// <summary>The event as the SDK sent it (an envelope item's payload or a store body).</summary>
    public ReadOnlyMemory<byte> RawJson { get; } = rawJson;

    public NormalizationContext Normalization { get; } = normalization;

    public JsonObject? Event { get; set; }

    public GroupingResult? Grouping { get; set; }

    public EventMetadata? Metadata { get; set; }

    public EventFacts? Facts { get; set; }

    /// <summary>The key of the issue grain the event goes to.</summary>
    public string? IssueGrainKey { get; set; }

    /// <summary>The encoded stream item.</summary>
    public byte[]? StreamPayload { get; set; }
}
