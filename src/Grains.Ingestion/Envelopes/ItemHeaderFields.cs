namespace Grains.Ingestion.Envelopes;

/// <summary>The well-known item header fields, read in one pass over the header JSON.</summary>
internal readonly record struct ItemHeaderFields(int? Length, string? ContentType, string? Filename, string? AttachmentType, int? ItemCount, string? Platform);
