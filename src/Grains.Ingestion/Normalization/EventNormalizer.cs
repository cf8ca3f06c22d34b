using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Ingestion.Envelopes;
using Grains.Ingestion.Errors;

namespace Grains.Ingestion.Normalization;

/// <summary>
/// Turns a raw event (an <c>event</c> item payload or a legacy store body) into the canonical event
/// object the rest of Grains works with, following Relay's normalization (reference §4): one JSON
/// parse, then in-place rewriting of the known attributes. Invalid values are dropped or replaced
/// and size cuts recorded in <c>_meta</c>, so a sloppy SDK loses a field, never the event.
/// </summary>
/// <remarks>Thread-safe: the instance holds only immutable options.</remarks>
public sealed class EventNormalizer(NormalizationOptions? options = null)
{
    /// <summary>400 detail for a payload that is not a JSON object.</summary>
    public const string InvalidJsonDetail = "invalid JSON data";

    private static readonly string[] Platforms =
        ["as3", "c", "cfml", "cocoa", "csharp", "elixir", "go", "groovy", "haskell", "java", "javascript", "native", "node", "objc", "other", "perl", "php", "python", "ruby"];

    private static readonly SearchValues<char> TagKeyChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-");

    private static readonly SearchValues<char> DistChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    private static readonly SearchValues<char> HexChars = SearchValues.Create("0123456789abcdefABCDEF");

    private readonly NormalizationOptions _options = options ?? NormalizationOptions.Default;

    /// <summary>Parses and normalizes an event payload.</summary>
    /// <remarks>
    /// Lone UTF-16 surrogates become U+FFFD and values nested deeper than <see cref="EventDepth.MaxValues"/>
    /// are removed, both noted in <c>_meta</c> (see <see cref="EventJsonReader"/>).
    /// </remarks>
    /// <exception cref="IngestException">400 <c>invalid JSON data</c> for malformed JSON, invalid UTF-8,
    /// duplicate keys, or a non-object.</exception>
    public JsonObject Normalize(ReadOnlyMemory<byte> json, NormalizationContext context)
    {
        // The reader decodes strings itself, trusting that they are valid UTF-8: check once, up front.
        if (!System.Text.Unicode.Utf8.IsValid(json.Span))
        {
            throw IngestException.BadRequest(InvalidJsonDetail, "invalid UTF-8");
        }

        var meta = new MetaRecorder();
        return Normalize(EventJsonReader.ReadObject(json.Span, meta), context, meta);
    }

    /// <summary>Normalizes <paramref name="raw"/> in place and returns it.</summary>
    /// <exception cref="IngestException">400 when the object contains duplicate keys the parser deferred.</exception>
    public JsonObject Normalize(JsonObject raw, NormalizationContext context)
    {
        try
        {
            // Materializes the lazily parsed object; duplicate keys surface here.
            _ = raw.Count;
        }
        catch (ArgumentException e)
        {
            throw new IngestException(400, InvalidJsonDetail, e, e.Message);
        }

        return Normalize(raw, context, new MetaRecorder());
    }

    private JsonObject Normalize(JsonObject raw, NormalizationContext context, MetaRecorder meta)
    {
        // Client-supplied _meta is not trusted (Relay keeps it only from trusted relays).
        raw.Remove("_meta");

        NormalizeEventId(raw, context, meta);
        NormalizeTimestamps(raw, context, meta);
        raw["level"] = Field(raw, "level", meta, n => ParseLevel(n) ?? throw new FormatException("invalid level")) ?? "error";
        raw["platform"] = raw["platform"]?.GetValueKind() == JsonValueKind.String && Array.IndexOf(Platforms, raw["platform"]!.GetValue<string>()) >= 0
            ? raw["platform"]!.GetValue<string>()
            : "other";

        NormalizeString(raw, "logger", 64, meta, rejectNewlines: true);
        NormalizeString(raw, "transaction", 200, meta);
        NormalizeString(raw, "server_name", 200, meta);
        NormalizeString(raw, "culprit", 200, meta);
        NormalizeString(raw, "release", 200, meta, lenient: true, validate: IsValidRelease);
        NormalizeString(raw, "environment", 64, meta, lenient: true, validate: IsValidEnvironment);
        NormalizeString(raw, "dist", 64, meta, lenient: true, validate: d => !d.AsSpan().ContainsAnyExcept(DistChars));

        NormalizeLogEntry(raw, meta);
        NormalizeTags(raw, meta);
        NormalizeExceptions(raw, meta);
        NormalizeThreads(raw, meta);
        if (raw["stacktrace"] is not null)
        {
            WithPath(meta, "stacktrace", () => raw["stacktrace"] = NormalizeStacktrace(Take(raw, "stacktrace"), meta));
        }

        NormalizeBreadcrumbs(raw, meta);
        NormalizeUser(raw, context, meta);
        NormalizeContexts(raw, meta);
        NormalizeRequest(raw, context, meta);
        UserAgent.UserAgentContexts.Apply(raw); // browser, device and OS contexts from request.headers, as Relay
        NormalizeSdk(raw, context, meta);
        NormalizeBag(raw, "extra", meta, BagSize.Massive, BagSize.Larger);
        NormalizeBag(raw, "modules", meta, BagSize.Large, null);
        NormalizeFingerprint(raw, meta);
        NormalizeType(raw);

        raw["received"] = ToUnixSeconds(context.ReceivedAt);
        if (meta.Root is not null)
        {
            raw["_meta"] = meta.Root;
        }

        return raw;
    }

    private static void NormalizeEventId(JsonObject ev, NormalizationContext context, MetaRecorder meta)
    {
        var node = Take(ev, "event_id");
        string? id = null;
        if (context.EventId is not null)
        {
            // The envelope header wins over the payload (reference §3.2).
            EventIdFormat.TryNormalize(context.EventId, out id);
        }
        else if (node is not null && !(node.GetValueKind() == JsonValueKind.String && EventIdFormat.TryNormalize(node.GetValue<string>(), out id)))
        {
            WithPath(meta, "event_id", () => meta.Invalid("invalid event id", node));
        }

        ev["event_id"] = id ?? EventIdFormat.NewId();
    }

    private void NormalizeTimestamps(JsonObject ev, NormalizationContext context, MetaRecorder meta)
    {
        var received = context.ReceivedAt;

        // Relay corrects clock drift only past a threshold, so normal network latency leaves client
        // timestamps untouched.
        var drift = context.SentAt is { } sentAt && (received - sentAt).Duration() >= _options.MinimumClockDrift
            ? received - sentAt
            : TimeSpan.Zero;

        var original = Take(ev, "timestamp");
        var timestamp = received;
        if (original is not null)
        {
            if (TryParseTimestamp(original, out var parsed))
            {
                timestamp = AddClamped(parsed, drift);
                if (timestamp > received + _options.MaxFutureSkew)
                {
                    AddProcessingError(ev, "future_timestamp", "timestamp", original);
                    timestamp = received;
                }
                else if (timestamp < received - _options.MaxAge)
                {
                    AddProcessingError(ev, "past_timestamp", "timestamp", original);
                    timestamp = received;
                }
            }
            else
            {
                WithPath(meta, "timestamp", () => meta.Invalid("invalid timestamp", original));
            }
        }

        ev["timestamp"] = ToUnixSeconds(timestamp);

        if (Take(ev, "start_timestamp") is { } start)
        {
            if (TryParseTimestamp(start, out var parsed))
            {
                ev["start_timestamp"] = ToUnixSeconds(AddClamped(parsed, drift));
            }
            else
            {
                WithPath(meta, "start_timestamp", () => meta.Invalid("invalid timestamp", start));
            }
        }
    }

    private void NormalizeLogEntry(JsonObject ev, MetaRecorder meta)
    {
        var legacy = Take(ev, "message");
        var node = Take(ev, "logentry");
        var entry = ToLogEntry(node) ?? ToLogEntry(legacy);
        if (entry is null)
        {
            return;
        }

        // With both present, a legacy string message still fills an empty logentry instead of being lost.
        if (node is not null && legacy?.GetValueKind() == JsonValueKind.String && entry["formatted"] is null && entry["message"] is null)
        {
            entry["formatted"] = legacy.GetValue<string>();
        }

        var template = LenientString(entry["message"]);
        var formatted = LenientString(entry["formatted"]);
        if (formatted is null && template is not null)
        {
            formatted = entry["params"] is { } parameters ? FormatMessage(template, parameters) : template;
        }

        if (template == formatted)
        {
            template = null;
        }

        if (template is null && formatted is null)
        {
            return;
        }

        meta.Push("logentry");
        SetTruncated(entry, "message", template, _options.MaxMessageLength, meta);
        SetTruncated(entry, "formatted", formatted, _options.MaxMessageLength, meta);
        meta.Pop();
        ev["logentry"] = entry;
    }

    private static JsonObject? ToLogEntry(JsonNode? node)
    {
        switch (node?.GetValueKind())
        {
            case null or JsonValueKind.Null or JsonValueKind.False:
                return null;
            case JsonValueKind.String:
                return new JsonObject { ["formatted"] = node.GetValue<string>() };
            case JsonValueKind.Object:
            {
                var source = node.AsObject();
                var entry = new JsonObject();
                foreach (var key in (string[])["message", "formatted", "params"])
                {
                    if (Take(source, key) is { } value)
                    {
                        entry[key] = value;
                    }
                }

                return entry;
            }

            default:
                // Numbers, true and arrays: Relay keeps them as their JSON text.
                return new JsonObject { ["formatted"] = node.ToJsonString() };
        }
    }

    private void NormalizeTags(JsonObject ev, MetaRecorder meta)
    {
        var node = Take(ev, "tags");
        if (node is null)
        {
            return;
        }

        var input = new List<(JsonNode? Key, JsonNode? Value)>();
        switch (node.GetValueKind())
        {
            case JsonValueKind.Object:
                foreach (var (key, value) in node.AsObject())
                {
                    input.Add((JsonValue.Create(key), value));
                }

                break;
            case JsonValueKind.Array:
                foreach (var pair in node.AsArray())
                {
                    input.Add(pair is JsonArray { Count: 2 } kv ? (kv[0], kv[1]) : (null, null));
                }

                break;
            default:
                WithPath(meta, "tags", () => meta.Invalid("expected an object or a list of pairs", node));
                return;
        }

        var pairs = new JsonArray();
        meta.Push("tags");
        for (var i = 0; i < input.Count; i++)
        {
            var (keyNode, valueNode) = input[i];
            var key = keyNode?.GetValueKind() == JsonValueKind.String ? keyNode.GetValue<string>().Replace(' ', '-').Trim() : null;
            var value = TagValue(valueNode);
            string? problem =
                key is null ? "invalid tag pair"
                : key.Length == 0 || key.Length > _options.MaxTagLength || key.AsSpan().ContainsAnyExcept(TagKeyChars) ? "invalid tag key"
                : value is null || value.Length > _options.MaxTagLength || value.Contains('\n') ? "invalid tag value"
                : null;
            if (problem is not null)
            {
                meta.Push(i);
                meta.Invalid(problem, new JsonArray(keyNode?.DeepClone(), valueNode?.DeepClone()));
                meta.Pop();
                continue;
            }

            pairs.Add(new JsonArray(key, value));
        }

        meta.Pop();
        ev["tags"] = pairs;
    }

    private static string? TagValue(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => string.Empty,
        JsonValueKind.String => node.GetValue<string>().Trim(),
        JsonValueKind.Number => node.ToJsonString(),

        // Python spelling, as Sentry has always stored boolean tags.
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        _ => null,
    };

    private void NormalizeExceptions(JsonObject ev, MetaRecorder meta)
    {
        var values = TakeValues(ev, "exception", meta);
        if (values is null)
        {
            return;
        }

        meta.Push("exception");
        meta.Push("values");
        var kept = new JsonArray();
        for (var i = 0; i < values.Count; i++)
        {
            meta.Push(i);
            if (values[i] is JsonObject exception)
            {
                values[i] = null;
                NormalizeException(exception, meta);
                if (exception["type"] is null && exception["value"] is null && exception["stacktrace"] is null)
                {
                    meta.Invalid("type or value required", exception);
                }
                else
                {
                    kept.Add(exception);
                }
            }
            else
            {
                meta.Invalid("expected an exception object", values[i]);
            }

            meta.Pop();
        }

        meta.Pop();
        meta.Pop();
        if (kept.Count > 0)
        {
            ev["exception"] = new JsonObject { ["values"] = kept };
        }
    }

    private void NormalizeException(JsonObject exception, MetaRecorder meta)
    {
        SetLenient(exception, "type", 256, meta);
        SetLenient(exception, "value", _options.MaxMessageLength, meta);
        SetLenient(exception, "module", 256, meta);
        if (exception["stacktrace"] is not null)
        {
            WithPath(meta, "stacktrace", () => exception["stacktrace"] = NormalizeStacktrace(Take(exception, "stacktrace"), meta));
        }

        if (exception["mechanism"] is JsonObject mechanism && mechanism["type"] is null)
        {
            // Relay requires mechanism.type; "generic" is what SDKs use when they have nothing better.
            mechanism["type"] = "generic";
        }
    }

    private JsonObject? NormalizeStacktrace(JsonNode? node, MetaRecorder meta)
    {
        if (node is not JsonObject stacktrace)
        {
            if (node is not null)
            {
                meta.Invalid("expected a stack trace object", node);
            }

            return null;
        }

        if (stacktrace["frames"] is not JsonArray frames)
        {
            if (stacktrace["frames"] is { } invalid)
            {
                WithPath(meta, "frames", () => meta.Invalid("expected a list of frames", invalid));
                stacktrace.Remove("frames");
            }

            return stacktrace;
        }

        meta.Push("frames");
        var originalCount = frames.Count;
        if (originalCount > _options.MaxFrames)
        {
            // Keep the oldest (entry point) and newest (crash site) frames; the middle repeats least.
            var head = _options.MaxFrames / 2;
            var tail = _options.MaxFrames - head;
            for (var remove = originalCount - head - tail; remove > 0; remove--)
            {
                frames.RemoveAt(head);
            }

            meta.Shortened(originalCount);
        }

        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i] is JsonObject frame && frame["vars"] is not null)
            {
                meta.Push(i);
                meta.Push("vars");
                frame["vars"] = Detach(DatabagTrimmer.Trim(Take(frame, "vars"), BagSize.Medium, meta));
                meta.Pop();
                meta.Pop();
            }
        }

        meta.Pop();
        return stacktrace;
    }

    private void NormalizeThreads(JsonObject ev, MetaRecorder meta)
    {
        var values = TakeValues(ev, "threads", meta);
        if (values is null)
        {
            return;
        }

        meta.Push("threads");
        meta.Push("values");
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is JsonObject thread && thread["stacktrace"] is not null)
            {
                meta.Push(i);
                WithPath(meta, "stacktrace", () => thread["stacktrace"] = NormalizeStacktrace(Take(thread, "stacktrace"), meta));
                meta.Pop();
            }
        }

        meta.Pop();
        meta.Pop();
        ev["threads"] = new JsonObject { ["values"] = values };
    }

    private void NormalizeBreadcrumbs(JsonObject ev, MetaRecorder meta)
    {
        var values = TakeValues(ev, "breadcrumbs", meta);
        if (values is null)
        {
            return;
        }

        meta.Push("breadcrumbs");
        meta.Push("values");
        var originalCount = values.Count;
        if (originalCount > _options.MaxBreadcrumbs)
        {
            // The most recent breadcrumbs explain the error; drop from the front.
            while (values.Count > _options.MaxBreadcrumbs)
            {
                values.RemoveAt(0);
            }

            meta.Shortened(originalCount);
        }

        var kept = new JsonArray();
        for (var i = 0; i < values.Count; i++)
        {
            meta.Push(i);
            var node = values[i];
            values[i] = null;
            if (node is JsonObject crumb)
            {
                if (Take(crumb, "timestamp") is { } ts)
                {
                    if (TryParseTimestamp(ts, out var parsed))
                    {
                        crumb["timestamp"] = ToUnixSeconds(parsed);
                    }
                    else
                    {
                        WithPath(meta, "timestamp", () => meta.Invalid("invalid timestamp", ts));
                    }
                }

                if (crumb["level"] is { } level)
                {
                    crumb["level"] = ParseLevel(level) ?? "info";
                }

                SetLenient(crumb, "message", _options.MaxMessageLength, meta);
                if (crumb["data"] is not null)
                {
                    meta.Push("data");
                    crumb["data"] = Detach(DatabagTrimmer.Trim(Take(crumb, "data"), BagSize.Medium, meta));
                    meta.Pop();
                }

                kept.Add(crumb);
            }
            else
            {
                meta.Invalid("expected a breadcrumb object", node);
            }

            meta.Pop();
        }

        meta.Pop();
        meta.Pop();
        ev["breadcrumbs"] = new JsonObject { ["values"] = kept };
    }

    private static void NormalizeUser(JsonObject ev, NormalizationContext context, MetaRecorder meta)
    {
        var node = ev["user"];
        if (node is not null and not JsonObject)
        {
            WithPath(meta, "user", () => meta.Invalid("expected an object", node));
            ev.Remove("user");
        }

        var user = ev["user"] as JsonObject;
        if (user?["id"] is { } id && id.GetValueKind() == JsonValueKind.Number)
        {
            user["id"] = id.ToJsonString();
        }

        var ip = user?["ip_address"];
        var inferIp = (ev["sdk"] as JsonObject)?["settings"]?["infer_ip"]?.GetValueKind() == JsonValueKind.String
            ? ev["sdk"]!["settings"]!["infer_ip"]!.GetValue<string>()
            : null;
        if (ip is null)
        {
            // SDKs that cannot know their public address ask for inference: explicitly with
            // settings.infer_ip, or implicitly by being a browser/mobile platform (legacy rule).
            var platform = ev["platform"]?.GetValue<string>();
            var infer = inferIp == "auto" || (inferIp is null && platform is "javascript" or "cocoa" or "objc");
            if (infer && context.ClientIp is not null)
            {
                user ??= (JsonObject)(ev["user"] = new JsonObject());
                user["ip_address"] = context.ClientIp.ToString();
            }

            return;
        }

        var text = ip.GetValueKind() == JsonValueKind.String ? ip.GetValue<string>() : null;
        if (text == "{{auto}}")
        {
            if (context.ClientIp is not null && inferIp != "never")
            {
                user!["ip_address"] = context.ClientIp.ToString();
            }
            else
            {
                user!.Remove("ip_address");
            }
        }
        else if (text is null || !IPAddress.TryParse(text, out _))
        {
            user!.Remove("ip_address");
            meta.Push("user");
            WithPath(meta, "ip_address", () => meta.Invalid("invalid IP address", ip));
            meta.Pop();
        }
    }

    private static void NormalizeContexts(JsonObject ev, MetaRecorder meta)
    {
        var node = ev["contexts"];
        if (node is null)
        {
            return;
        }

        if (node is not JsonObject contexts)
        {
            WithPath(meta, "contexts", () => meta.Invalid("expected an object", node));
            ev.Remove("contexts");
            return;
        }

        meta.Push("contexts");
        HashSet<string>? invalid = null;
        foreach (var key in contexts.Select(p => p.Key).ToArray())
        {
            meta.Push(key);
            var value = contexts[key];
            if (value is not JsonObject context)
            {
                meta.Invalid("expected a context object", value);
                (invalid ??= []).Add(key);
                meta.Pop();
                continue;
            }

            // The key names the type when the SDK leaves it out (reference §4.1).
            if (context["type"]?.GetValueKind() != JsonValueKind.String)
            {
                context["type"] = key;
            }

            if (context["type"]!.GetValue<string>() == "trace")
            {
                ValidateHex(context, "trace_id", 32, meta);
                ValidateHex(context, "span_id", 16, meta);
                ValidateHex(context, "parent_span_id", 16, meta);
            }

            TrimInPlace(contexts, key, BagSize.Large, meta);
            meta.Pop();
        }

        meta.Pop();
        if (invalid is not null)
        {
            JsonObjectEdits.RemoveAll(contexts, invalid);
        }
    }

    private static void ValidateHex(JsonObject context, string key, int length, MetaRecorder meta)
    {
        if (context[key] is not { } node)
        {
            return;
        }

        var text = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>().Replace("-", string.Empty) : null;
        if (text is not null && text.Length == length && !text.AsSpan().ContainsAnyExcept(HexChars))
        {
            context[key] = text.ToLowerInvariant();
            return;
        }

        context.Remove(key);
        WithPath(meta, key, () => meta.Invalid($"expected {length} hex characters", node));
    }

    private static void NormalizeRequest(JsonObject ev, NormalizationContext context, MetaRecorder meta)
    {
        var node = ev["request"];
        if (node is null)
        {
            return;
        }

        if (node is not JsonObject request)
        {
            WithPath(meta, "request", () => meta.Invalid("expected an object", node));
            ev.Remove("request");
            return;
        }

        meta.Push("request");
        if (request["method"]?.GetValueKind() == JsonValueKind.String)
        {
            request["method"] = request["method"]!.GetValue<string>().ToUpperInvariant();
        }

        if (request["headers"] is not null)
        {
            request["headers"] = ToPairs(Take(request, "headers"), null, meta, "headers", NormalizeHeaderName);
        }

        if (request["query_string"] is not null)
        {
            request["query_string"] = ToPairs(Take(request, "query_string"), '&', meta, "query_string", null);
        }

        if (request["cookies"] is not null)
        {
            request["cookies"] = ToPairs(Take(request, "cookies"), ';', meta, "cookies", null);
        }

        if (request["data"] is not null)
        {
            meta.Push("data");
            request["data"] = Detach(DatabagTrimmer.Trim(Take(request, "data"), BagSize.Large, meta));
            meta.Pop();
        }

        if (request["env"] is JsonObject env && env["REMOTE_ADDR"]?.GetValueKind() == JsonValueKind.String
            && env["REMOTE_ADDR"]!.GetValue<string>() == "{{auto}}")
        {
            if (context.ClientIp is null)
            {
                env.Remove("REMOTE_ADDR");
            }
            else
            {
                env["REMOTE_ADDR"] = context.ClientIp.ToString();
            }
        }

        meta.Pop();
    }

    // Headers, query strings and cookies arrive as objects, pair lists or raw strings; Relay stores
    // them as [[name, value], …] so repeated names survive.
    private static JsonArray? ToPairs(JsonNode? node, char? separator, MetaRecorder meta, string name, Func<string, string>? normalizeName)
    {
        var pairs = new JsonArray();
        void Add(string key, JsonNode? value)
        {
            var text = value?.GetValueKind() switch
            {
                JsonValueKind.String => value.GetValue<string>(),
                null or JsonValueKind.Null => null,
                _ => value.ToJsonString(),
            };
            pairs.Add(new JsonArray(normalizeName is null ? key : normalizeName(key), text));
        }

        switch (node?.GetValueKind())
        {
            case JsonValueKind.Object:
                foreach (var (key, value) in node.AsObject())
                {
                    Add(key, value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in node.AsArray())
                {
                    if (item is JsonArray { Count: 2 } kv && kv[0]?.GetValueKind() == JsonValueKind.String)
                    {
                        Add(kv[0]!.GetValue<string>(), kv[1]);
                    }
                }

                break;
            case JsonValueKind.String when separator is { } sep:
                foreach (var part in node.GetValue<string>().TrimStart('?').Split(sep, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var eq = part.IndexOf('=');
                    var key = eq < 0 ? part : part[..eq];
                    var value = eq < 0 ? string.Empty : part[(eq + 1)..];
                    if (sep == '&')
                    {
                        key = Uri.UnescapeDataString(key.Replace('+', ' '));
                        value = Uri.UnescapeDataString(value.Replace('+', ' '));
                    }

                    pairs.Add(new JsonArray(key, value));
                }

                break;
            default:
                WithPath(meta, name, () => meta.Invalid("expected an object or a list of pairs", node));
                return null;
        }

        return pairs;
    }

    // "content-type" → "Content-Type", as Relay's header normalization writes them.
    private static string NormalizeHeaderName(string name)
    {
        var chars = name.Trim().ToCharArray();
        var upper = true;
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = upper ? char.ToUpperInvariant(chars[i]) : char.ToLowerInvariant(chars[i]);
            upper = chars[i] == '-';
        }

        return new string(chars);
    }

    private static void NormalizeSdk(JsonObject ev, NormalizationContext context, MetaRecorder meta)
    {
        var node = ev["sdk"];
        if (node is not null and not JsonObject)
        {
            WithPath(meta, "sdk", () => meta.Invalid("expected an object", node));
            ev.Remove("sdk");
        }

        if (ev["sdk"] is null && context.SdkName is not null)
        {
            ev["sdk"] = new JsonObject { ["name"] = context.SdkName, ["version"] = context.SdkVersion };
        }
    }

    private static void NormalizeBag(JsonObject ev, string key, MetaRecorder meta, BagSize total, BagSize? perEntry)
    {
        var node = ev[key];
        if (node is null)
        {
            return;
        }

        if (node is not JsonObject bag)
        {
            WithPath(meta, key, () => meta.Invalid("expected an object", node));
            ev.Remove(key);
            return;
        }

        meta.Push(key);
        if (perEntry is { } entrySize)
        {
            foreach (var name in bag.Select(p => p.Key).ToArray())
            {
                meta.Push(name);
                TrimInPlace(bag, name, entrySize, meta);
                meta.Pop();
            }
        }

        // The bag object itself is one level, so its depth budget is one more than its values'.
        ev[key] = Detach(DatabagTrimmer.Trim(Take(ev, key), total with { MaxDepth = total.MaxDepth + 1 }, meta));
        meta.Pop();
    }

    private static void NormalizeFingerprint(JsonObject ev, MetaRecorder meta)
    {
        var node = ev["fingerprint"];
        if (node is null)
        {
            return;
        }

        if (node is not JsonArray items)
        {
            WithPath(meta, "fingerprint", () => meta.Invalid("expected a list of strings", node));
            ev.Remove("fingerprint");
            return;
        }

        var result = new JsonArray();
        foreach (var item in items)
        {
            var text = item?.GetValueKind() switch
            {
                JsonValueKind.String => item.GetValue<string>(),
                JsonValueKind.Number => item.ToJsonString(),
                JsonValueKind.True => "True",
                JsonValueKind.False => "False",
                _ => null,
            };
            if (text is not null)
            {
                result.Add(text);
            }
        }

        ev["fingerprint"] = result;
    }

    private static void NormalizeType(JsonObject ev)
    {
        // Clients only legitimately send "transaction" and "feedback"; every other type is inferred.
        var claimed = ev["type"]?.GetValueKind() == JsonValueKind.String ? ev["type"]!.GetValue<string>() : null;
        ev["type"] = claimed is "transaction" or "feedback"
            ? claimed
            : ev["exception"] is JsonObject ? "error" : "default";
    }

    private void NormalizeString(JsonObject ev, string key, int maxLength, MetaRecorder meta, bool lenient = false, bool rejectNewlines = false, Func<string, bool>? validate = null)
    {
        var node = ev[key];
        if (node is null)
        {
            ev.Remove(key);
            return;
        }

        var text = node.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>().Trim(),
            JsonValueKind.Number when lenient => node.ToJsonString(),
            _ => null,
        };
        if (text is null || (rejectNewlines && text.AsSpan().ContainsAny('\r', '\n')) || (validate is not null && text.Length > 0 && !validate(text)))
        {
            ev.Remove(key);
            WithPath(meta, key, () => meta.Invalid($"invalid {key}", node));
            return;
        }

        if (text.Length == 0)
        {
            ev.Remove(key);
            return;
        }

        meta.Push(key);
        ev[key] = Truncate(text, maxLength, meta);
        meta.Pop();
    }

    private static bool IsValidRelease(string release) =>
        release is not ("." or ".." or "latest") && !release.AsSpan().ContainsAny("\r\n\f\v/\\");

    private static bool IsValidEnvironment(string environment) =>
        environment is not ("." or "..") && !environment.AsSpan().ContainsAny("\r\n\f\v/");

    private static string Truncate(string text, int maxLength, MetaRecorder meta)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var keep = KeepWholePairs(text, Math.Max(maxLength - 3, 0));
        meta.Truncated(keep, text.Length);
        return string.Concat(text.AsSpan(0, keep), "...");
    }

    // A cut between the two halves of a surrogate pair would leave a lone surrogate behind.
    internal static int KeepWholePairs(string text, int keep) =>
        keep > 0 && keep < text.Length && char.IsHighSurrogate(text[keep - 1]) ? keep - 1 : keep;

    private static void SetTruncated(JsonObject target, string key, string? value, int maxLength, MetaRecorder meta)
    {
        if (value is null)
        {
            target.Remove(key);
            return;
        }

        meta.Push(key);
        target[key] = Truncate(value, maxLength, meta);
        meta.Pop();
    }

    // Strings where SDKs are known to send numbers or objects: numbers become text, objects JSON text.
    private static void SetLenient(JsonObject target, string key, int maxLength, MetaRecorder meta)
    {
        if (target[key] is not { } node)
        {
            target.Remove(key);
            return;
        }

        SetTruncated(target, key, LenientString(node), maxLength, meta);
    }

    private static string? LenientString(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => null,
        JsonValueKind.String => node.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    /// <summary>Fills <c>%s</c>-style (Python, JS) and <c>{0}</c>-style (.NET) placeholders.</summary>
    internal static string FormatMessage(string template, JsonNode parameters)
    {
        var list = parameters as JsonArray;
        var named = parameters as JsonObject;
        var builder = new StringBuilder(template.Length + 32);
        var next = 0;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '%' && i + 1 < template.Length)
            {
                var spec = template[i + 1];
                if (spec == '%')
                {
                    builder.Append('%');
                    i++;
                    continue;
                }

                if (spec == '(' && named is not null && template.IndexOf(')', i + 2) is var close and > 0 && close + 1 < template.Length)
                {
                    builder.Append(LenientString(named[template[(i + 2)..close]]));
                    i = close + 1;
                    continue;
                }

                if (spec is 's' or 'd' or 'i' or 'f' or 'r' && list is not null && next < list.Count)
                {
                    builder.Append(LenientString(list[next++]));
                    i++;
                    continue;
                }
            }
            else if (c == '{' && list is not null && template.IndexOf('}', i + 1) is var end and > 0
                && int.TryParse(template.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index < list.Count)
            {
                builder.Append(LenientString(list[index]));
                i = end;
                continue;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    internal static string? ParseLevel(JsonNode? node)
    {
        switch (node?.GetValueKind())
        {
            case JsonValueKind.String:
                return node.GetValue<string>().Trim().ToLowerInvariant() switch
                {
                    "debug" or "trace" => "debug",
                    "info" or "log" => "info",
                    "warning" or "warn" => "warning",
                    "error" => "error",
                    "fatal" or "critical" => "fatal",
                    var other when int.TryParse(other, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => PythonLevel(n),
                    _ => null,
                };
            case JsonValueKind.Number when node.AsValue().TryGetValue<int>(out var number):
                return PythonLevel(number);
            default:
                return null;
        }
    }

    // Python logging levels (10 DEBUG … 50 CRITICAL), as Relay's Level::from_python_level.
    private static string? PythonLevel(int level) => level switch
    {
        10 => "debug",
        20 => "info",
        30 => "warning",
        40 => "error",
        50 => "fatal",
        _ => null,
    };

    internal static bool TryParseTimestamp(JsonNode node, out DateTimeOffset timestamp)
    {
        timestamp = default;
        switch (node.GetValueKind())
        {
            case JsonValueKind.Number:
            {
                if (!node.AsValue().TryGetValue<double>(out var seconds) || !double.IsFinite(seconds) || seconds < 0 || seconds > 253402300799)
                {
                    return false;
                }

                timestamp = AddClamped(DateTimeOffset.UnixEpoch, TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)));
                return true;
            }

            case JsonValueKind.String:
                // RFC 3339; a missing zone means UTC (reference §4.1).
                return DateTimeOffset.TryParse(node.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out timestamp);
            default:
                return false;
        }
    }

    /// <summary>
    /// <paramref name="value"/> + <paramref name="delta"/>, clamped to the representable range: a client
    /// clock in year 1 or 9999 moves a timestamp to the edge of the range instead of overflowing.
    /// </summary>
    internal static DateTimeOffset AddClamped(DateTimeOffset value, TimeSpan delta)
    {
        var utc = value.UtcDateTime.Ticks;
        if (delta.Ticks > 0 && utc > DateTimeOffset.MaxValue.UtcTicks - delta.Ticks)
        {
            return DateTimeOffset.MaxValue;
        }

        // utc >= 0, so utc + a negative delta cannot overflow.
        if (delta.Ticks < 0 && utc + delta.Ticks < DateTimeOffset.MinValue.UtcTicks)
        {
            return DateTimeOffset.MinValue;
        }

        return new DateTimeOffset(utc + delta.Ticks, TimeSpan.Zero);
    }

    // Unix seconds with microsecond precision, the representation Relay writes.
    internal static double ToUnixSeconds(DateTimeOffset value) =>
        Math.Round((value - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond, 6);

    private static void AddProcessingError(JsonObject ev, string type, string name, JsonNode original)
    {
        if (ev["errors"] is not JsonArray errors)
        {
            ev["errors"] = errors = [];
        }

        errors.Add(new JsonObject { ["type"] = type, ["name"] = name, ["value"] = original.DeepClone() });
    }

    private static JsonNode? Field(JsonObject ev, string key, MetaRecorder meta, Func<JsonNode, string> parse)
    {
        if (Take(ev, key) is not { } node)
        {
            return null;
        }

        try
        {
            return parse(node);
        }
        catch (FormatException e)
        {
            WithPath(meta, key, () => meta.Invalid(e.Message, node));
            return null;
        }
    }

    // Accepts {values:[…]}, a bare list, or a single object (Relay's Values<T>); returns a detached list.
    private static JsonArray? TakeValues(JsonObject ev, string key, MetaRecorder meta)
    {
        var node = Take(ev, key);
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj when obj.ContainsKey("values"):
                if (Take(obj, "values") is JsonArray values)
                {
                    return values;
                }

                WithPath(meta, key, () => meta.Invalid("expected a list of values", node));
                return null;
            case JsonObject obj:
                return [obj];
            case JsonArray array:
                return array;
            default:
                WithPath(meta, key, () => meta.Invalid("expected a list of values", node));
                return null;
        }
    }

    private static JsonNode? Take(JsonObject obj, string key)
    {
        obj.TryGetPropertyValue(key, out var node);
        obj.Remove(key);
        return node;
    }

    private static JsonNode? Detach(JsonNode? node) => node?.Parent is null ? node : node.DeepClone();

    // Trims obj[key] where it stands: taking it out and adding it back would move every later
    // property each time, which made wide bags quadratic.
    private static void TrimInPlace(JsonObject obj, string key, BagSize size, MetaRecorder meta)
    {
        var child = obj[key];
        var trimmed = DatabagTrimmer.Trim(child, size, meta);
        if (!ReferenceEquals(child, trimmed))
        {
            obj[key] = Detach(trimmed);
        }
    }

    private static void WithPath(MetaRecorder meta, string segment, Action action)
    {
        meta.Push(segment);
        action();
        meta.Pop();
    }
}
