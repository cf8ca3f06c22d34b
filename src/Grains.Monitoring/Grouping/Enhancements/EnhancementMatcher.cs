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
    private readonly Glob? _glob;

    private EnhancementMatcher(string key, string pattern, bool negated)
    {
        Key = key;
        Pattern = pattern;
        Negated = negated;
        _glob = key switch
        {
            "path" or "package" => Glob.Compile(pattern, ignoreCase: true, path: true),
            "error.value" => Glob.Compile(pattern, ignoreCase: true),
            "family" or "app" => null,
            _ => Glob.Compile(pattern),
        };
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
                var family = context.Families[index];
                foreach (var candidate in _families!)
                {
                    if (candidate == "all" || candidate == family)
                    {
                        return true;
                    }
                }

                return false;
            case "path":
                return (frame.AbsPath ?? frame.Filename) is { } path && _glob!.IsPathMatch(path);
            case "package":
                return frame.Package is { } package && _glob!.IsPathMatch(package);
            case "module":
                return frame.Module is { } module && _glob!.IsMatch(module);
            case "function":
                return (frame.Function ?? frame.RawFunction) is { } function && _glob!.IsMatch(function);
            case "category":
                return context.Categories[index] is { } category && _glob!.IsMatch(category);
            case "app":
                return context.InApp[index] == _appFlag;
            case "error.type":
                return context.Exception?.Type is { } type && _glob!.IsMatch(type);
            case "error.value":
                return context.Exception?.Value is { } value && _glob!.IsMatch(value);
            case "error.mechanism":
                return context.Exception?.MechanismType is { } mechanism && _glob!.IsMatch(mechanism);
            default:
                return false;
        }
    }
}
