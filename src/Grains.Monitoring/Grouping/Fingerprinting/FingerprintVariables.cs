using System.Text.RegularExpressions;
using Grains.Monitoring.Grouping.Model;
using Grains.Monitoring.Grouping.Parameterization;

namespace Grains.Monitoring.Grouping.Fingerprinting;

/// <summary>
/// Fingerprint kinds and <c>{{ variable }}</c> resolution (newstyle:2026-01-20 semantics: message and
/// value are parameterized, unknown variables become <c>&lt;unrecognized-variable-X&gt;</c>).
/// </summary>
internal static partial class FingerprintVariables
{
    public const string DefaultMarker = "{{ default }}";

    [GeneratedRegex(@"^\{\{\s*(\S+)\s*\}\}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex VariableEntry();

    [GeneratedRegex(@"\{\{\s*(\S+)\s*\}\}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex VariableAnywhere();

    /// <summary>Variable name of an entry like <c>{{ message }}</c>, or null for a literal.</summary>
    public static string? VariableName(string entry)
    {
        var match = VariableEntry().Match(entry);
        return match.Success ? match.Groups[1].Value : null;
    }

    public static bool IsDefault(string entry) => VariableName(entry) == "default";

    public static FingerprintKind KindOf(IReadOnlyList<string>? fingerprint)
    {
        if (fingerprint is null || fingerprint.Count == 0)
        {
            return FingerprintKind.Default;
        }

        if (fingerprint.Count == 1 && IsDefault(fingerprint[0]))
        {
            return FingerprintKind.Default;
        }

        return fingerprint.Any(IsDefault) ? FingerprintKind.Hybrid : FingerprintKind.Custom;
    }

    public static List<string> Resolve(IReadOnlyList<string> fingerprint, GroupingEvent grouping)
    {
        var message = MessageText(grouping);
        var resolved = new List<string>(fingerprint.Count);
        foreach (var entry in fingerprint)
        {
            var name = VariableName(entry);
            if (name == "default")
            {
                resolved.Add(DefaultMarker);
            }
            else if (name is null)
            {
                // A literal that is exactly the event's message is parameterized like the message itself.
                resolved.Add(message is not null && entry == message ? MessageNormalizer.Normalize(entry, trim: false) : entry);
            }
            else
            {
                resolved.Add(ResolveVariable(name, grouping));
            }
        }

        return resolved;
    }

    /// <summary>Expands variables inside a title template such as <c>"{{ type }} in checkout"</c>.</summary>
    public static string ExpandTemplate(string template, GroupingEvent grouping) =>
        VariableAnywhere().Replace(template, match => ResolveVariable(match.Groups[1].Value, grouping));

    private static string? MessageText(GroupingEvent grouping) =>
        grouping.LogFormatted ?? grouping.LogMessage ?? grouping.Exceptions?[^1].Value;

    public static string ResolveVariable(string name, GroupingEvent grouping)
    {
        var lastException = grouping.Exceptions is { Count: > 0 } list ? list[^1] : null;
        switch (name)
        {
            case "transaction":
                return NonEmpty(grouping.Transaction) ?? "<no-transaction>";
            case "message":
                return MessageText(grouping) is { Length: > 0 } message ? MessageNormalizer.Normalize(message, trim: false) : "<no-message>";
            case "raw_message":
                return NonEmpty(MessageText(grouping)) ?? "<no-message>";
            case "type":
            case "error.type":
                return NonEmpty(lastException?.Type) ?? "<no-type>";
            case "value":
            case "error.value":
                return lastException?.Value is { Length: > 0 } value ? MessageNormalizer.Normalize(value, trim: false) : "<no-value>";
            case "raw_value":
            case "error.raw_value":
                return NonEmpty(lastException?.Value) ?? "<no-value>";
            case "function":
            case "stack.function":
                return NonEmpty(CrashFrame(grouping)?.Function) ?? "<no-function>";
            case "path":
            case "stack.abs_path":
                var pathFrame = CrashFrame(grouping);
                return NonEmpty(pathFrame?.AbsPath ?? pathFrame?.Filename) ?? "<no-abs-path>";
            case "stack.filename":
                var fileFrame = CrashFrame(grouping);
                return NonEmpty(fileFrame?.Filename ?? fileFrame?.AbsPath) ?? "<no-filename>";
            case "module":
            case "stack.module":
                return NonEmpty(CrashFrame(grouping)?.Module) ?? "<no-module>";
            case "package":
            case "stack.package":
                var package = CrashFrame(grouping)?.Package;
                if (!string.IsNullOrEmpty(package))
                {
                    package = package[(package.LastIndexOfAny(new[] { '/', '\\' }) + 1)..];
                }

                return NonEmpty(package) ?? "<no-package>";
            case "level":
                return NonEmpty(grouping.Level) ?? "<no-level>";
            case "logger":
                return NonEmpty(grouping.Logger) ?? "<no-logger>";
        }

        if (name.StartsWith("tags.", StringComparison.Ordinal))
        {
            var tag = name[5..];
            foreach (var (key, value) in grouping.Tags)
            {
                if (key == tag && value is not null)
                {
                    return value;
                }
            }

            return $"<no-value-for-tag-{tag}>";
        }

        return $"<unrecognized-variable-{name}>";
    }

    /// <summary>Last in-app frame of the last exception's stack (else its last frame), like Sentry's crash frame.</summary>
    internal static EventFrame? CrashFrame(GroupingEvent grouping)
    {
        var frames = grouping.Exceptions?[^1].Stacktrace?.Frames;
        if (frames is null || frames.Count == 0)
        {
            frames = grouping.Stacktrace?.Frames;
        }

        if ((frames is null || frames.Count == 0) && grouping.Threads is { Count: 1 } threads)
        {
            frames = threads[0].Stacktrace?.Frames;
        }

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

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
