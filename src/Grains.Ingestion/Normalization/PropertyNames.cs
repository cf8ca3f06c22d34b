using System.Text;

namespace Grains.Ingestion.Normalization;

/// <summary>
/// The property names that recur in every event (the event's attributes, its interfaces' fields, a frame's fields),
/// as shared strings: <see cref="EventJsonReader"/> reuses them instead of decoding a new string for each of the
/// hundreds of keys of an event. Any other name is decoded as before.
/// </summary>
internal static class PropertyNames
{
    private static readonly string[] Known =
    [
        // Event attributes and interfaces.
        "event_id", "timestamp", "start_timestamp", "received", "platform", "level", "logger", "transaction", "server_name",
        "release", "dist", "environment", "message", "logentry", "formatted", "params", "tags", "extra", "modules",
        "fingerprint", "exception", "values", "threads", "stacktrace", "breadcrumbs", "user", "contexts", "request",
        "sdk", "type", "culprit", "checksum", "errors", "debug_meta", "images", "_meta",
        // Exceptions and mechanisms.
        "value", "module", "thread_id", "mechanism", "handled", "synthetic", "data", "meta", "exception_id", "parent_id",
        "is_exception_group", "source", "description", "help_link",
        // Stack frames.
        "frames", "filename", "abs_path", "function", "raw_function", "lineno", "colno", "in_app", "context_line",
        "pre_context", "post_context", "vars", "package", "instruction_addr", "symbol", "symbol_addr", "image_addr",
        "addr_mode", "trust", "registers", "frames_omitted", "snapshot",
        // Breadcrumbs, user, request, contexts, sdk.
        "category", "id", "username", "email", "ip_address", "name", "version", "url", "method", "headers", "query_string",
        "cookies", "env", "fragment", "api_target", "segment", "geo", "country_code", "city", "region", "family", "model",
        "brand", "browser", "os", "runtime", "device", "app", "trace", "span_id", "trace_id", "op", "status",
        "integrations", "packages", "build", "kernel_version", "raw_description", "arch", "current", "crashed", "main",
        "state", "origin",
    ];

    // By a hash of length, first and last byte (256 buckets): most names are alone in their bucket, so a lookup is
    // one comparison; scanning all names of a length cost more than decoding the name.
    private static readonly (byte[] Utf8, string Name)[][] Buckets = Build();

    /// <summary>The shared string for <paramref name="utf8"/> (an unescaped property name), or null when it is not a known name.</summary>
    public static string? Find(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return null;
        }

        foreach (var (bytes, name) in Buckets[Bucket(utf8)])
        {
            if (utf8.SequenceEqual(bytes))
            {
                return name;
            }
        }

        return null;
    }

    private static int Bucket(ReadOnlySpan<byte> utf8) => ((utf8.Length * 31) + (utf8[0] * 7) + utf8[^1]) & 255;

    private static (byte[] Utf8, string Name)[][] Build()
    {
        var lists = new List<(byte[], string)>[256];
        for (var i = 0; i < lists.Length; i++)
        {
            lists[i] = [];
        }

        foreach (var name in Known.Distinct(StringComparer.Ordinal))
        {
            var utf8 = Encoding.UTF8.GetBytes(name);
            lists[Bucket(utf8)].Add((utf8, name));
        }

        return [.. lists.Select(l => l.ToArray())];
    }
}
