using System.Text.Json.Nodes;

namespace Grains.Monitoring.Grouping.Model;

/// <summary>
/// The grouping-relevant subset of an event, normalised the way Relay/Sentry do before grouping:
/// list interfaces in any accepted shape, missing platform = <c>other</c>, a top-level stack trace moved
/// into a lone stack-less exception, <c>message</c> turned into a log entry.
/// </summary>
internal sealed class GroupingEvent
{
    public string Platform { get; init; } = "other";
    public List<EventException>? Exceptions { get; init; }
    public EventStacktrace? Stacktrace { get; init; }
    public List<EventThread>? Threads { get; init; }
    public string? LogMessage { get; init; }
    public string? LogFormatted { get; init; }
    public string? TemplateFilename { get; init; }
    public string? TemplateContextLine { get; init; }
    public bool HasTemplate { get; init; }
    public List<string>? Fingerprint { get; set; }
    public string? Checksum { get; init; }
    public string? Transaction { get; init; }
    public string? Level { get; init; }
    public string? Logger { get; init; }
    public string? Release { get; init; }
    public string? SdkName { get; init; }
    public string? SdkVersion { get; init; }
    public List<KeyValuePair<string, string?>> Tags { get; init; } = new();

    /// <summary>Set by exception-group filtering: which exception should title the issue.</summary>
    public long? MainExceptionId { get; set; }

    /// <summary>Every stack trace in the event with the exception it belongs to (if any).</summary>
    public IEnumerable<(EventStacktrace Stacktrace, EventException? Exception)> AllStacktraces()
    {
        if (Exceptions is not null)
        {
            foreach (var exception in Exceptions)
            {
                if (exception.Stacktrace is not null)
                {
                    yield return (exception.Stacktrace, exception);
                }
            }
        }

        if (Stacktrace is not null)
        {
            yield return (Stacktrace, null);
        }

        if (Threads is not null)
        {
            foreach (var thread in Threads)
            {
                if (thread.Stacktrace is not null)
                {
                    yield return (thread.Stacktrace, null);
                }
            }
        }
    }

    public static GroupingEvent FromJson(JsonObject json)
    {
        List<EventException>? exceptions = null;
        if (json["exception"] is { } exceptionNode)
        {
            exceptions = new List<EventException>();
            foreach (var item in JsonRead.Values(exceptionNode))
            {
                exceptions.Add(EventException.FromJson(item));
            }

            if (exceptions.Count == 0)
            {
                exceptions = null;
            }
        }

        var stacktrace = EventStacktrace.FromJson(json["stacktrace"]);
        if (stacktrace is not null && exceptions is { Count: 1 } && exceptions[0].Stacktrace is null)
        {
            // Relay moves a top-level stack trace into a single stack-less exception.
            exceptions[0].Stacktrace = stacktrace;
            stacktrace = null;
        }

        List<EventThread>? threads = null;
        if (json["threads"] is { } threadsNode)
        {
            threads = JsonRead.Values(threadsNode).Select(EventThread.FromJson).ToList();
            if (threads.Count == 0)
            {
                threads = null;
            }
        }

        string? logMessage = null;
        string? logFormatted = null;
        if (json["logentry"] is JsonObject logentry)
        {
            logMessage = JsonRead.String(logentry["message"]);
            logFormatted = JsonRead.String(logentry["formatted"]);
        }
        else if (json["logentry"] is JsonValue || json["message"] is not null)
        {
            var message = json["message"] is JsonObject messageObject
                ? JsonRead.String(messageObject["formatted"]) ?? JsonRead.String(messageObject["message"])
                : JsonRead.String(json["logentry"]) ?? JsonRead.String(json["message"]);
            logFormatted = message;
        }

        // When message and formatted are the same text, Sentry keeps only `formatted`.
        if (logMessage is not null && logMessage == logFormatted)
        {
            logMessage = null;
        }

        var template = json["template"] as JsonObject;
        var sdk = json["sdk"] as JsonObject;
        return new GroupingEvent
        {
            Platform = JsonRead.String(json["platform"]) is { Length: > 0 } platform ? platform : "other",
            Exceptions = exceptions,
            Stacktrace = stacktrace,
            Threads = threads,
            LogMessage = string.IsNullOrEmpty(logMessage) ? null : logMessage,
            LogFormatted = string.IsNullOrEmpty(logFormatted) ? null : logFormatted,
            HasTemplate = template is not null,
            TemplateFilename = JsonRead.String(template?["filename"]),
            TemplateContextLine = JsonRead.String(template?["context_line"]),
            Fingerprint = ReadFingerprint(json["fingerprint"]),
            Checksum = JsonRead.String(json["checksum"]),
            Transaction = JsonRead.String(json["transaction"]),
            Level = JsonRead.String(json["level"]),
            Logger = JsonRead.String(json["logger"]),
            Release = JsonRead.String(json["release"]),
            SdkName = JsonRead.String(sdk?["name"]),
            SdkVersion = JsonRead.String(sdk?["version"]),
            Tags = ReadTags(json["tags"]),
        };
    }

    private static List<string>? ReadFingerprint(JsonNode? node)
    {
        if (node is not JsonArray array)
        {
            return null;
        }

        var values = new List<string>(array.Count);
        foreach (var item in array)
        {
            if (JsonRead.String(item) is { } value)
            {
                values.Add(value);
            }
        }

        return values.Count == 0 ? null : values;
    }

    private static List<KeyValuePair<string, string?>> ReadTags(JsonNode? node)
    {
        var tags = new List<KeyValuePair<string, string?>>();
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    tags.Add(new(key, JsonRead.String(value)));
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is JsonArray { Count: 2 } pair && JsonRead.String(pair[0]) is { } key)
                    {
                        tags.Add(new(key, JsonRead.String(pair[1])));
                    }
                }

                break;
        }

        return tags;
    }
}
