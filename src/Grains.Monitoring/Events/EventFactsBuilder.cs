using System.Text.Json.Nodes;
using Grains.Monitoring.Grouping;

namespace Grains.Monitoring.Events;

/// <summary>
/// Derives <see cref="EventFacts"/> from a normalized event and its grouping: Sentry's derived tags
/// (level, logger, environment, release, dist, user, browser, browser.name, os, os.name, client_os,
/// client_os.name, runtime, device, device.family, url, transaction, handled, mechanism, server_name)
/// beside the SDK's own tags.
/// </summary>
public static class EventFactsBuilder
{
    /// <summary>Sentry's tag value limit.</summary>
    private const int MaxTagValueLength = 200;

    public static EventFacts Build(long projectId, JsonObject evt, GroupingResult grouping, EventMetadata metadata)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (evt["tags"] is JsonArray pairs)
        {
            foreach (var pair in pairs)
            {
                if (pair is JsonArray { Count: 2 } kv && Str(kv[0]) is { Length: > 0 } key && Str(kv[1]) is { } value)
                {
                    tags[key] = Limit(value);
                }
            }
        }

        var level = Str(evt["level"]) ?? "error";
        var exceptions = evt["exception"]?["values"] as JsonArray;
        var hasException = exceptions is { Count: > 0 };
        var userKey = UserKey(evt["user"] as JsonObject);

        Derive(tags, "level", level);
        Derive(tags, "logger", Str(evt["logger"]));
        Derive(tags, "environment", Str(evt["environment"]));
        Derive(tags, "release", Str(evt["release"]));
        Derive(tags, "dist", Str(evt["dist"]));
        Derive(tags, "user", userKey);
        Derive(tags, "server_name", Str(evt["server_name"]));
        Derive(tags, "transaction", Str(evt["transaction"]));
        Derive(tags, "url", Str(evt["request"]?["url"]));

        var contexts = evt["contexts"] as JsonObject;
        var browser = contexts?["browser"] as JsonObject;
        Derive(tags, "browser", NameVersion(browser));
        Derive(tags, "browser.name", Str(browser?["name"]));
        var os = contexts?["os"] as JsonObject;
        Derive(tags, "os", NameVersion(os));
        Derive(tags, "os.name", Str(os?["name"]));
        // Sentry names a context's tags by its key: the client OS that Relay reads from a server
        // event's User-Agent sits under `client_os` and is tagged so (sentry interfaces/contexts.py).
        var clientOs = contexts?["client_os"] as JsonObject;
        Derive(tags, "client_os", NameVersion(clientOs));
        Derive(tags, "client_os.name", Str(clientOs?["name"]));
        Derive(tags, "runtime", NameVersion(contexts?["runtime"] as JsonObject));
        Derive(tags, "device", Str(contexts?["device"]?["model"]));
        Derive(tags, "device.family", Str(contexts?["device"]?["family"]));

        if (hasException)
        {
            var mechanism = exceptions![^1]?["mechanism"] as JsonObject;
            Derive(tags, "mechanism", Str(mechanism?["type"]));
            if (mechanism?["handled"] is JsonValue handled && handled.TryGetValue<bool>(out var isHandled))
            {
                Derive(tags, "handled", isHandled ? "yes" : "no");
            }
        }

        var message = Str(evt["logentry"]?["formatted"]) ?? Str(evt["logentry"]?["message"]) ?? "";
        return new EventFacts
        {
            ProjectId = projectId,
            EventId = Str(evt["event_id"]) ?? throw new InvalidDataException("A normalized event has no event_id."),
            Timestamp = UnixTime(evt["timestamp"]) ?? DateTimeOffset.UtcNow,
            Received = UnixTime(evt["received"]) ?? DateTimeOffset.UtcNow,
            Hashes = grouping.Hashes,
            GroupingConfigId = grouping.ConfigId,
            Title = metadata.Title,
            Culprit = metadata.Culprit ?? "",
            Type = hasException ? "error" : "default",
            Level = level,
            Platform = Str(evt["platform"]) ?? "other",
            Logger = Str(evt["logger"]),
            Release = Str(evt["release"]),
            Environment = Str(evt["environment"]),
            ErrorType = metadata.Type,
            ErrorValue = metadata.Value,
            Filename = metadata.Filename,
            Function = metadata.Function,
            Message = message,
            UserKey = userKey,
            Tags = [.. tags],
        };
    }

    /// <summary>Sentry's <c>user</c> tag: the first of id, username, email, ip address.</summary>
    private static string? UserKey(JsonObject? user)
    {
        if (user is null)
        {
            return null;
        }

        foreach (var (field, prefix) in new[] { ("id", "id"), ("username", "username"), ("email", "email"), ("ip_address", "ip") })
        {
            if (Str(user[field]) is { Length: > 0 } value)
            {
                return Limit($"{prefix}:{value}");
            }
        }

        return null;
    }

    private static string? NameVersion(JsonObject? context)
    {
        var name = Str(context?["name"]);
        if (name is null)
        {
            return null;
        }

        var version = Str(context!["version"]);
        return version is null ? name : $"{name} {version}";
    }

    private static void Derive(Dictionary<string, string> tags, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            tags[key] = Limit(value);
        }
    }

    private static string Limit(string value) => value.Length <= MaxTagValueLength ? value : value[..MaxTagValueLength];

    private static string? Str(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        JsonValue value when value.TryGetValue<long>(out var l) => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
        JsonValue value when value.TryGetValue<double>(out var d) => d.ToString(System.Globalization.CultureInfo.InvariantCulture),
        JsonValue value when value.TryGetValue<bool>(out var b) => b ? "true" : "false",
        _ => null,
    };

    private static DateTimeOffset? UnixTime(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<double>(out var seconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000))
            : null;
}
