using Grains.Monitoring.Grouping.Model;

namespace Grains.Monitoring.Grouping.Enhancements;

/// <summary>One <c>[!]key:pattern</c> test of a stack-trace rule against a frame (or its exception).</summary>
internal sealed class EnhancementMatcher
{
    private static readonly Dictionary<string, string> CanonicalKeys = new(StringComparer.Ordinal)
    {
        ["family"] = "family",
        ["stack.abs_path"] = "path",
        ["path"] = "path",
        ["stack.module"] = "module",
        ["module"] = "module",
        ["stack.function"] = "function",
        ["function"] = "function",
        ["stack.package"] = "package",
        ["package"] = "package",
        ["app"] = "app",
        ["category"] = "category",
        ["error.type"] = "error.type",
        ["error.value"] = "error.value",
        ["error.mechanism"] = "error.mechanism",
    };

    private readonly string[]? _families;
    private readonly bool? _appFlag;

    private EnhancementMatcher(string key, string pattern, bool negated)
    {
        Key = key;
        Pattern = pattern;
        Negated = negated;
        if (key == "family")
        {
            _families = pattern.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }
        else if (key == "app")
        {
            _appFlag = pattern.ToLowerInvariant() switch
            {
                "1" or "yes" or "true" => true,
                "0" or "no" or "false" => false,
                _ => null,
            };
        }
    }

    /// <summary>Canonical key (aliases such as <c>stack.function</c> folded to <c>function</c>).</summary>
    public string Key { get; }

    public string Pattern { get; }

    public bool Negated { get; }

    /// <summary>Rule text form used in hints; patterns with whitespace are quoted.</summary>
    public string Text => $"{(Negated ? "!" : string.Empty)}{Key}:{(Pattern.Any(char.IsWhiteSpace) ? $"\"{Pattern}\"" : Pattern)}";

    /// <summary>Creates a matcher; returns null for an unknown key so the parser can report it with a position.</summary>
    public static EnhancementMatcher? TryCreate(string key, string pattern, bool negated, out string? error)
    {
        if (!CanonicalKeys.TryGetValue(key, out var canonical))
        {
            error = $"Unknown matcher '{key}'";
            return null;
        }

        var matcher = new EnhancementMatcher(canonical, pattern, negated);
        if (canonical == "app" && matcher._appFlag is null)
        {
            error = $"Invalid value '{pattern}' for app matcher (expected yes/no/true/false/1/0)";
            return null;
        }

        error = null;
        return matcher;
    }

    public bool IsMatch(FrameMatchContext context, int index) => PositiveMatch(context, index) != Negated;

    private bool PositiveMatch(FrameMatchContext context, int index)
    {
        var frame = context.Frames[index];
        switch (Key)
        {
            case "family":
                var family = PlatformFamily.Of(frame.Platform ?? context.Platform);
                foreach (var candidate in _families!)
                {
                    if (candidate == "all" || candidate == family)
                    {
                        return true;
                    }
                }

                return false;
            case "path":
                return Glob.IsPathMatch(frame.AbsPath ?? frame.Filename, Pattern);
            case "package":
                return Glob.IsPathMatch(frame.Package, Pattern);
            case "module":
                return frame.Module is { } module && Glob.IsMatch(module, Pattern);
            case "function":
                return (frame.Function ?? frame.RawFunction) is { } function && Glob.IsMatch(function, Pattern);
            case "category":
                return context.Categories[index] is { } category && Glob.IsMatch(category, Pattern);
            case "app":
                return context.InApp[index] == _appFlag;
            case "error.type":
                return context.Exception?.Type is { } type && Glob.IsMatch(type, Pattern);
            case "error.value":
                return context.Exception?.Value is { } value && Glob.IsMatch(value, Pattern, ignoreCase: true);
            case "error.mechanism":
                return context.Exception?.MechanismType is { } mechanism && Glob.IsMatch(mechanism, Pattern);
            default:
                return false;
        }
    }
}
