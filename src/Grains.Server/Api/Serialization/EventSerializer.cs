using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Ingestion.Normalization;
using Grains.Monitoring.Grouping;
using Grains.Monitoring.Storage;
using Grains.Server.Api.Infrastructure;

namespace Grains.Server.Api.Serialization;

/// <summary>
/// Events in Sentry's shapes (reference §5.3): the list item of <c>SimpleEventSerializer</c> and the
/// detail of <c>EventSerializer</c>, whose <c>entries</c> re-shape the stored (snake_case) interfaces
/// into the API's camelCase ones, as Sentry's <c>get_api_context</c> does.
/// </summary>
internal static class EventSerializer
{
    private static readonly Dictionary<string, string> ErrorMessages = new(StringComparer.Ordinal)
    {
        ["invalid_data"] = "Discarded invalid value",
        ["invalid_attribute"] = "Discarded unknown attribute",
        ["value_too_long"] = "Discarded value due to exceeding maximum length",
        ["future_timestamp"] = "Invalid timestamp (in future)",
        ["past_timestamp"] = "Invalid timestamp (too old)",
        ["clock_drift"] = "Clock drift detected in SDK",
        ["missing_attribute"] = "Missing value for required attribute",
    };

    /// <summary>The stored JSON; an unreadable payload shows as an empty event rather than failing the request.</summary>
    public static JsonObject Parse(StoredEvent stored)
    {
        try
        {
            return JsonNode.Parse(stored.Json.Span, documentOptions: new JsonDocumentOptions { MaxDepth = EventDepth.Max }) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>
    /// Sentry's grouping info (<c>{grouping_config, hashes, variants}</c> with each variant's component
    /// tree and hints), recomputed from the event: the ingest edge stores only the config id and hashes.
    /// </summary>
    public static JsonObject GroupingInfo(JsonObject evt, GroupingConfig config) => GroupingEngine.Compute(evt, config).ToJson();

    public static JsonObject Simple(StoredEvent stored, JsonObject evt, GroupingConfig config)
    {
        var metadata = EventMetadataDeriver.Derive(evt, config);
        return new JsonObject
        {
            ["id"] = stored.EventId,
            ["event.type"] = stored.Type,
            ["groupID"] = DirectorySerializer.Id(stored.IssueId),
            ["eventID"] = stored.EventId,
            ["projectID"] = DirectorySerializer.Id(stored.ProjectId),
            ["message"] = stored.Message,
            ["title"] = stored.Title,
            ["location"] = metadata.Filename,
            ["culprit"] = metadata.Culprit,
            ["user"] = User(evt["user"] as JsonObject),
            ["tags"] = Tags(evt),
            ["platform"] = stored.Platform,
            ["dateCreated"] = ApiTime.Format(stored.Timestamp),
            ["crashFile"] = null,
            ["metadata"] = Metadata(stored, metadata),
        };
    }

    public static JsonObject Detail(StoredEvent stored, JsonObject evt, string? previousEventId, string? nextEventId, GroupingConfig config)
    {
        var metadata = EventMetadataDeriver.Derive(evt, config);
        var grouping = evt["_grouping"] as JsonObject;
        var release = Str(evt["release"]);
        return new JsonObject
        {
            ["id"] = stored.EventId,
            ["groupID"] = DirectorySerializer.Id(stored.IssueId),
            ["eventID"] = stored.EventId,
            ["projectID"] = DirectorySerializer.Id(stored.ProjectId),
            ["size"] = stored.Json.Length,
            ["entries"] = Entries(evt),
            ["dist"] = Str(evt["dist"]),
            ["message"] = stored.Message,
            ["title"] = stored.Title,
            ["location"] = metadata.Filename,
            ["user"] = User(evt["user"] as JsonObject),
            ["contexts"] = Clone(evt["contexts"]) ?? new JsonObject(),
            ["sdk"] = Sdk(evt["sdk"] as JsonObject),
            ["context"] = Clone(evt["extra"]) ?? new JsonObject(),
            ["packages"] = Clone(evt["modules"]) ?? new JsonObject(),
            ["type"] = stored.Type,
            ["metadata"] = Metadata(stored, metadata),
            ["tags"] = Tags(evt),
            ["platform"] = stored.Platform,
            ["dateReceived"] = ApiTime.Format(stored.Received),
            ["errors"] = Errors(evt["errors"] as JsonArray),
            ["occurrence"] = null,
            ["_meta"] = Clone(evt["_meta"]) ?? new JsonObject(),
            ["crashFile"] = null,
            ["culprit"] = metadata.Culprit,
            ["dateCreated"] = ApiTime.Format(stored.Timestamp),
            ["fingerprints"] = Clone(grouping?["hashes"]) ?? new JsonArray(),
            ["groupingConfig"] = new JsonObject
            {
                ["id"] = Str(grouping?["grouping_config"]) ?? config.Id,
                ["enhancements"] = "",
            },
            ["release"] = release is null ? null : new JsonObject { ["version"] = release, ["shortVersion"] = release },
            ["userReport"] = null,
            ["sdkUpdates"] = new JsonArray(),
            ["resolvedWith"] = new JsonArray(),
            ["nextEventID"] = nextEventId,
            ["previousEventID"] = previousEventId,
        };
    }

    private static JsonObject Metadata(StoredEvent stored, EventMetadata metadata)
    {
        var result = new JsonObject();
        if (stored.Type != "error")
        {
            result["title"] = stored.Title;
            return result;
        }

        Add("type", metadata.Type);
        Add("value", metadata.Value);
        Add("filename", metadata.Filename);
        Add("function", metadata.Function);
        return result;

        void Add(string key, string? value)
        {
            if (value is not null)
            {
                result[key] = value;
            }
        }
    }

    /// <summary>Tags as <c>[{key, value}]</c> sorted by key, <c>sentry:</c> prefixes dropped (as Sentry shows them).</summary>
    private static JsonArray Tags(JsonObject evt)
    {
        var tags = new List<(string Key, string Value)>();
        if (evt["tags"] is JsonArray pairs)
        {
            foreach (var pair in pairs)
            {
                if (pair is JsonArray { Count: 2 } kv && Str(kv[0]) is { Length: > 0 } key && Str(kv[1]) is { } value)
                {
                    tags.Add((TagSerializer.CanonicalKey(key), value));
                }
            }
        }
        else if (evt["tags"] is JsonObject map)
        {
            foreach (var (key, node) in map)
            {
                if (Str(node) is { } value)
                {
                    tags.Add((TagSerializer.CanonicalKey(key), value));
                }
            }
        }

        tags.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return [.. tags.Select(t => (JsonNode)new JsonObject { ["key"] = t.Key, ["value"] = t.Value })];
    }

    private static JsonObject? User(JsonObject? user)
    {
        if (user is null || user.Count == 0)
        {
            return null;
        }

        return new JsonObject
        {
            ["id"] = Str(user["id"]),
            ["email"] = Str(user["email"]),
            ["username"] = Str(user["username"]),
            ["ip_address"] = Str(user["ip_address"]),
            ["name"] = Str(user["name"]),
            ["geo"] = Clone(user["geo"]),
            ["data"] = Clone(user["data"]),
        };
    }

    private static JsonObject? Sdk(JsonObject? sdk) =>
        sdk is null ? null : new JsonObject { ["name"] = Str(sdk["name"]), ["version"] = Str(sdk["version"]) };

    private static JsonArray Errors(JsonArray? errors)
    {
        var result = new JsonArray();
        foreach (var error in errors ?? [])
        {
            if (error is not JsonObject e)
            {
                continue;
            }

            var type = Str(e["type"]) ?? "unknown_error";
            var data = new JsonObject();
            foreach (var (key, value) in e)
            {
                if (key != "type")
                {
                    data[key] = value?.DeepClone();
                }
            }

            result.Add(new JsonObject
            {
                ["type"] = type,
                ["message"] = ErrorMessages.GetValueOrDefault(type, "Unknown error"),
                ["data"] = data,
            });
        }

        return result;
    }

    /// <summary>Sentry orders entries by interface display score: exception, threads, breadcrumbs, request, message.</summary>
    private static JsonArray Entries(JsonObject evt)
    {
        var entries = new JsonArray();
        if (Values(evt["exception"]) is { Count: > 0 } exceptions)
        {
            var values = new JsonArray();
            var frames = new List<JsonObject>();
            foreach (var exception in exceptions.OfType<JsonObject>())
            {
                var stacktrace = exception["stacktrace"] as JsonObject;
                frames.AddRange(Frames(stacktrace));
                values.Add(new JsonObject
                {
                    ["type"] = Str(exception["type"]),
                    ["value"] = Str(exception["value"]),
                    ["module"] = Str(exception["module"]),
                    ["threadId"] = Clone(exception["thread_id"]),
                    ["mechanism"] = Clone(exception["mechanism"]),
                    ["stacktrace"] = Stacktrace(stacktrace),
                    ["rawStacktrace"] = null,
                });
            }

            entries.Add(Entry("exception", new JsonObject
            {
                ["values"] = values,
                ["hasSystemFrames"] = HasSystemFrames(frames),
                ["excOmitted"] = Clone(evt["exception"]?["exc_omitted"]),
            }));
        }

        if (Values(evt["threads"]) is { Count: > 0 } threads)
        {
            var values = new JsonArray();
            foreach (var thread in threads.OfType<JsonObject>())
            {
                values.Add(new JsonObject
                {
                    ["id"] = Clone(thread["id"]),
                    ["name"] = Str(thread["name"]),
                    ["crashed"] = Clone(thread["crashed"]) ?? false,
                    ["current"] = Clone(thread["current"]) ?? false,
                    ["main"] = Clone(thread["main"]),
                    ["state"] = Str(thread["state"]),
                    ["stacktrace"] = Stacktrace(thread["stacktrace"] as JsonObject),
                    ["rawStacktrace"] = null,
                });
            }

            entries.Add(Entry("threads", new JsonObject { ["values"] = values }));
        }

        if (Values(evt["breadcrumbs"]) is { Count: > 0 } breadcrumbs)
        {
            var values = new JsonArray();
            foreach (var crumb in breadcrumbs.OfType<JsonObject>())
            {
                values.Add(new JsonObject
                {
                    ["type"] = Str(crumb["type"]) ?? "default",
                    ["timestamp"] = Timestamp(crumb["timestamp"]),
                    ["level"] = Str(crumb["level"]) ?? "info",
                    ["message"] = Str(crumb["message"]),
                    ["category"] = Str(crumb["category"]),
                    ["data"] = Clone(crumb["data"]),
                    ["event_id"] = Str(crumb["event_id"]),
                });
            }

            entries.Add(Entry("breadcrumbs", new JsonObject { ["values"] = values }));
        }

        if (evt["request"] is JsonObject request)
        {
            entries.Add(Entry("request", Request(request)));
        }

        if (evt["logentry"] is JsonObject logentry)
        {
            var message = Str(logentry["message"]);
            entries.Add(Entry("message", new JsonObject
            {
                ["formatted"] = Str(logentry["formatted"]) ?? message,
                ["message"] = message,
                ["params"] = Clone(logentry["params"]),
            }));
        }

        return entries;
    }

    private static JsonObject Entry(string type, JsonObject data) => new() { ["type"] = type, ["data"] = data };

    /// <summary>An interface given as <c>{values: [...]}</c> or, as some SDKs send it, a bare array.</summary>
    private static JsonArray? Values(JsonNode? node) => node switch
    {
        JsonObject o => o["values"] as JsonArray,
        JsonArray a => a,
        _ => null,
    };

    private static JsonObject? Stacktrace(JsonObject? stacktrace)
    {
        if (stacktrace is null)
        {
            return null;
        }

        var frames = Frames(stacktrace).ToList();
        return new JsonObject
        {
            ["frames"] = new JsonArray([.. frames.Select(Frame)]),
            ["framesOmitted"] = Clone(stacktrace["frames_omitted"]),
            ["registers"] = Clone(stacktrace["registers"]),
            ["hasSystemFrames"] = HasSystemFrames(frames),
        };
    }

    private static IEnumerable<JsonObject> Frames(JsonObject? stacktrace) =>
        (stacktrace?["frames"] as JsonArray)?.OfType<JsonObject>() ?? [];

    private static JsonNode Frame(JsonObject frame)
    {
        var lineNo = frame["lineno"] is JsonValue l && l.TryGetValue<long>(out var line) ? line : (long?)null;
        return new JsonObject
        {
            ["filename"] = Str(frame["filename"]),
            ["absPath"] = Str(frame["abs_path"]),
            ["module"] = Str(frame["module"]),
            ["package"] = Str(frame["package"]),
            ["platform"] = Str(frame["platform"]),
            ["instructionAddr"] = Str(frame["instruction_addr"]),
            ["symbolAddr"] = Str(frame["symbol_addr"]),
            ["function"] = Str(frame["function"]),
            ["rawFunction"] = Str(frame["raw_function"]),
            ["symbol"] = Str(frame["symbol"]),
            ["context"] = Context(frame, lineNo ?? 0),
            ["lineNo"] = lineNo,
            ["colNo"] = Clone(frame["colno"]),
            ["inApp"] = frame["in_app"] is JsonValue v && v.TryGetValue<bool>(out var inApp) && inApp,
            ["trust"] = Str(frame["trust"]),
            ["errors"] = null,
            ["lock"] = null,
            ["vars"] = Clone(frame["vars"]),
        };
    }

    /// <summary>Sentry's <c>[[lineNo, line], …]</c> from pre_context, context_line and post_context.</summary>
    private static JsonArray Context(JsonObject frame, long lineNo)
    {
        var result = new JsonArray();
        if (Str(frame["context_line"]) is not { } contextLine)
        {
            return result;
        }

        var pre = (frame["pre_context"] as JsonArray)?.Select(Str).ToList() ?? [];
        for (var i = 0; i < pre.Count; i++)
        {
            result.Add(new JsonArray(lineNo - pre.Count + i, pre[i]));
        }

        result.Add(new JsonArray(lineNo, contextLine));
        var post = (frame["post_context"] as JsonArray)?.Select(Str).ToList() ?? [];
        for (var i = 0; i < post.Count; i++)
        {
            result.Add(new JsonArray(lineNo + 1 + i, post[i]));
        }

        return result;
    }

    /// <summary>True when some frames are not in-app and some are (only then can the UI usefully hide them).</summary>
    private static bool HasSystemFrames(IReadOnlyCollection<JsonObject> frames)
    {
        var system = frames.Count(f => !(f["in_app"] is JsonValue v && v.TryGetValue<bool>(out var inApp) && inApp));
        return system > 0 && system < frames.Count;
    }

    private static JsonObject Request(JsonObject request)
    {
        var headers = Pairs(request["headers"]);
        string? contentType = null;
        foreach (var header in headers.OfType<JsonArray>())
        {
            if (string.Equals(Str(header[0]), "Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = Str(header[1]);
            }
        }

        return new JsonObject
        {
            ["apiTarget"] = null,
            ["method"] = Str(request["method"]),
            ["url"] = Str(request["url"]),
            ["query"] = Query(request["query_string"]),
            ["fragment"] = Str(request["fragment"]),
            ["data"] = Clone(request["data"]),
            ["headers"] = headers,
            ["cookies"] = Pairs(request["cookies"]),
            ["env"] = Clone(request["env"]),
            ["inferredContentType"] = contentType?.Split(';')[0].Trim(),
        };
    }

    /// <summary>Headers and cookies as <c>[[name, value], …]</c>, from pairs or an object.</summary>
    private static JsonArray Pairs(JsonNode? node)
    {
        var result = new JsonArray();
        if (node is JsonArray array)
        {
            foreach (var pair in array)
            {
                if (pair is JsonArray { Count: 2 } kv)
                {
                    result.Add(new JsonArray(Str(kv[0]), Str(kv[1])));
                }
            }
        }
        else if (node is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                result.Add(new JsonArray(key, Str(value)));
            }
        }

        return result;
    }

    private static JsonArray Query(JsonNode? node)
    {
        if (Str(node) is not { } text)
        {
            return Pairs(node);
        }

        var result = new JsonArray();
        foreach (var part in text.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            result.Add(new JsonArray(Unescape(key), Unescape(value)));
        }

        return result;

        static string Unescape(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
    }

    /// <summary>Breadcrumb times as ISO 8601 (stored as unix seconds or already as text).</summary>
    private static string? Timestamp(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<double>(out var seconds) => ApiTime.Format(DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond))),
        _ => Str(node),
    };

    private static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    private static string? Str(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        JsonValue value when value.TryGetValue<long>(out var l) => l.ToString(CultureInfo.InvariantCulture),
        JsonValue value when value.TryGetValue<double>(out var d) => d.ToString(CultureInfo.InvariantCulture),
        JsonValue value when value.TryGetValue<bool>(out var b) => b ? "true" : "false",
        _ => null,
    };
}
