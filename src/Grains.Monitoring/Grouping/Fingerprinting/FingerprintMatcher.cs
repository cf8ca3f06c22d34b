namespace Grains.Monitoring.Grouping.Fingerprinting;

/// <summary>One <c>[!]key:pattern</c> condition of a fingerprint rule.</summary>
internal sealed class FingerprintMatcher
{
    private static readonly Dictionary<string, string> Keys = new(StringComparer.Ordinal)
    {
        ["error.type"] = "type",
        ["error.value"] = "value",
        ["stack.module"] = "module",
        ["stack.abs_path"] = "path",
        ["stack.package"] = "package",
        ["stack.function"] = "function",
        ["message"] = "message",
        ["logger"] = "logger",
        ["level"] = "level",
        ["type"] = "type",
        ["value"] = "value",
        ["module"] = "module",
        ["path"] = "path",
        ["package"] = "package",
        ["function"] = "function",
        ["family"] = "family",
        ["app"] = "app",
        ["sdk"] = "sdk",
        ["release"] = "release",
    };

    private FingerprintMatcher(string key, string pattern, bool negated)
    {
        Key = key;
        Pattern = pattern;
        Negated = negated;
        MatchType = key switch
        {
            "message" => FingerprintMatchType.TopLevel,
            "logger" or "level" => FingerprintMatchType.LogInfo,
            "type" or "value" => FingerprintMatchType.Exceptions,
            "sdk" => FingerprintMatchType.Sdk,
            "family" => FingerprintMatchType.Family,
            "release" => FingerprintMatchType.Release,
            _ when key.StartsWith("tags.", StringComparison.Ordinal) => FingerprintMatchType.Tags,
            _ => FingerprintMatchType.Frames,
        };
    }

    public string Key { get; }

    public string Pattern { get; }

    public bool Negated { get; }

    public FingerprintMatchType MatchType { get; }

    public string Text => $"{(Negated ? "!" : string.Empty)}{Key}:\"{Pattern}\"";

    public static FingerprintMatcher? TryCreate(string key, string pattern, bool negated, out string? error)
    {
        error = null;
        if (key.StartsWith("tags.", StringComparison.Ordinal) && key.Length > 5)
        {
            return new FingerprintMatcher(key, pattern, negated);
        }

        if (!Keys.TryGetValue(key, out var canonical))
        {
            error = $"Unknown matcher '{key}'";
            return null;
        }

        return new FingerprintMatcher(canonical, pattern, negated);
    }

    public bool IsMatch(IReadOnlyDictionary<string, string?> values) => PositiveMatch(values) != Negated;

    private bool PositiveMatch(IReadOnlyDictionary<string, string?> values)
    {
        switch (Key)
        {
            case "path":
                var absPath = values.GetValueOrDefault("abs_path");
                var filename = values.GetValueOrDefault("filename");
                return Glob.IsPathMatch(absPath, Pattern) || (filename != absPath && Glob.IsPathMatch(filename, Pattern));
            case "message":
                return (values.GetValueOrDefault("message") is { } message && Glob.IsMatch(message, Pattern, ignoreCase: true))
                    || (values.GetValueOrDefault("value") is { } exceptionValue && Glob.IsMatch(exceptionValue, Pattern, ignoreCase: true));
        }

        if (values.GetValueOrDefault(Key) is not { } value)
        {
            return false;
        }

        switch (Key)
        {
            case "package":
            case "release":
                return Glob.IsPathMatch(value, Pattern);
            case "family":
            case "sdk":
                var flags = Pattern.Split(',');
                return flags.Contains("all") || flags.Contains(value);
            case "app":
                var expected = Pattern.ToLowerInvariant() switch
                {
                    "1" or "yes" or "true" => "True",
                    "0" or "no" or "false" => "False",
                    _ => null,
                };
                return expected == value;
            case "level":
            case "value":
                return Glob.IsMatch(value, Pattern, ignoreCase: true);
            default:
                return Glob.IsMatch(value, Pattern);
        }
    }
}
