using System.Text.Json.Nodes;
using Grains.Monitoring.Grouping.Enhancements;
using Grains.Monitoring.Grouping.Model;

namespace Grains.Monitoring.Grouping;

/// <summary>
/// Derives title, culprit and metadata the way Sentry's event types do: error events are titled by the
/// main exception (<c>Type: first line of value</c>), message events by the first line of the message;
/// the culprit is the last in-app frame of the main exception's stack, formatted per platform.
/// </summary>
public static class EventMetadataDeriver
{
    private const int MaxTitleLength = 100;
    private const int MaxCulpritLength = 200;
    private const int MaxTypeLength = 128;
    private const int MaxValueLength = 1024;

    /// <summary>
    /// Derives the metadata. Pass the <see cref="GroupingResult"/> of the same event so the exception
    /// chosen by exception-group reduction and any fingerprint-rule title are honoured. When that result
    /// was computed from this same <paramref name="evt"/> instance and rule set, its parsed and classified
    /// event is reused (once) instead of parsing again, so don't modify the event in between.
    /// </summary>
    public static EventMetadata Derive(JsonObject evt, GroupingConfig? config = null, GroupingResult? grouping = null)
    {
        ArgumentNullException.ThrowIfNull(evt);
        config ??= GroupingConfig.Default;
        // Grouping has already parsed and classified this very event with the same rules: reuse that.
        var parsed = grouping?.TakeClassified(evt, config.Enhancements);
        if (parsed is null)
        {
            parsed = GroupingEvent.FromJson(evt);
            foreach (var (stacktrace, exception) in parsed.AllStacktraces())
            {
                // In-app flags after stack-trace rules decide the culprit frame, as in Sentry.
                StacktraceEnhancer.ApplyClassifiers(config.Enhancements, stacktrace.Frames, parsed.Platform, exception);
                StacktraceEnhancer.NormalizeInApp(stacktrace.Frames);
            }
        }

        var sdkCulprit = JsonRead.String(evt["culprit"]);
        var main = MainException(parsed, grouping?.MainExceptionId);
        if (main is null)
        {
            var message = parsed.LogFormatted ?? parsed.LogMessage;
            var messageTitle = string.IsNullOrWhiteSpace(message) ? "<unlabeled event>" : Truncate(FirstLine(message), MaxTitleLength)!;
            var culprit = sdkCulprit ?? parsed.Transaction ?? Culprit(parsed.Stacktrace?.Frames, parsed.Platform);
            return new EventMetadata(grouping?.Title ?? messageTitle, Truncate(culprit, MaxCulpritLength), null, null, null, null);
        }

        var frame = CrashFrame(main.Stacktrace?.Frames);
        var type = main.Synthetic ? null : Truncate(string.IsNullOrEmpty(main.Type) ? "Error" : main.Type, MaxTypeLength);
        var value = string.IsNullOrEmpty(main.Value) ? null : Truncate(main.Value, MaxValueLength);
        string title;
        if (grouping?.Title is { } ruleTitle)
        {
            title = ruleTitle;
        }
        else if (main.Synthetic && string.IsNullOrEmpty(main.Type) && value is not null)
        {
            // A message captured with a stack trace (JavaScript SDKs send it as a synthetic exception without
            // a type): the message is the title, as Sentry shows it (display_title_with_tree_label = false).
            title = Truncate(FirstLine(value), MaxTitleLength)!;
        }
        else if (main.Synthetic || string.IsNullOrEmpty(main.Type))
        {
            title = main.Synthetic || value is null
                ? frame?.Function ?? "<unknown>"
                : Truncate("Error: " + FirstLine(value), MaxTitleLength)!;
        }
        else
        {
            title = value is null ? type! : Truncate($"{type}: {FirstLine(value)}", MaxTitleLength)!;
        }

        var generated = main.Synthetic ? null : Culprit(main.Stacktrace?.Frames, parsed.Platform);
        return new EventMetadata(
            title,
            Truncate(sdkCulprit ?? parsed.Transaction ?? generated, MaxCulpritLength),
            type,
            value,
            frame?.Filename,
            frame?.Function);
    }

    private static EventException? MainException(GroupingEvent parsed, long? mainExceptionId)
    {
        if (parsed.Exceptions is not { Count: > 0 } exceptions)
        {
            return null;
        }

        if (mainExceptionId is long id && exceptions.FirstOrDefault(e => e.ExceptionId == id) is { } chosen)
        {
            return chosen;
        }

        return exceptions[^1];
    }

    private static EventFrame? CrashFrame(List<EventFrame>? frames)
    {
        if (frames is null || frames.Count == 0)
        {
            return null;
        }

        for (var i = frames.Count - 1; i >= 0; i--)
        {
            if (frames[i].InApp == true)
            {
                return frames[i];
            }
        }

        return frames[^1];
    }

    private static string? Culprit(List<EventFrame>? frames, string platform)
    {
        var frame = CrashFrame(frames);
        if (frame is null)
        {
            return null;
        }

        var location = frame.Module ?? frame.Filename ?? frame.AbsPath;
        var function = frame.Function ?? frame.RawFunction;
        var family = PlatformFamily.Of(frame.Platform ?? platform);
        if (family == PlatformFamily.Native)
        {
            return function;
        }

        if (family == PlatformFamily.JavaScript)
        {
            return function is null ? location : location is null ? function : $"{function}({location})";
        }

        if (location is null)
        {
            return function;
        }

        return function is null ? location : $"{location} in {function}";
    }

    private static string FirstLine(string value)
    {
        var end = value.AsSpan().IndexOfAny('\r', '\n');
        return (end < 0 ? value : value[..end]).Trim();
    }

    /// <summary>Django's <c>truncatechars</c>: cut to the limit including a trailing ellipsis.</summary>
    private static string? Truncate(string? value, int max) =>
        value is null || value.Length <= max ? value : value[..(max - 3)] + "...";
}
