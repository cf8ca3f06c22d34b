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
        Kind = key switch
        {
            "family" => MatcherKind.Family,
            "path" => MatcherKind.Path,
            "module" => MatcherKind.Module,
            "function" => MatcherKind.Function,
            "package" => MatcherKind.Package,
            "app" => MatcherKind.App,
            "category" => MatcherKind.Category,
            "error.type" => MatcherKind.ErrorType,
            "error.value" => MatcherKind.ErrorValue,
            "error.mechanism" => MatcherKind.ErrorMechanism,
            _ => MatcherKind.Unknown,
        };
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
            foreach (var candidate in _families)
            {
                FamilyMask |= candidate == "all" ? PlatformFamily.AllBits : PlatformFamily.Bit(candidate);
            }
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

    /// <summary><see cref="Key"/> as an enum, so matching switches on an int rather than a string.</summary>
    internal MatcherKind Kind { get; }

    /// <summary>For a family matcher: the <see cref="PlatformFamily"/> bits it accepts (before negation).</summary>
    internal int FamilyMask { get; }

    public string Pattern { get; }

    /// <summary>
    /// True when the matcher reads only the frame's own fields (and its platform family), never state that
    /// rules change (in-app, category), the exception or other frames. Keep in step with <see cref="PositiveMatch"/>
    /// and with the key of <see cref="Caching.GroupingCache"/>.
    /// </summary>
    internal bool IsFrameLocal => Kind is MatcherKind.Family or MatcherKind.Path or MatcherKind.Package or MatcherKind.Module or MatcherKind.Function;

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
        switch (Kind)
        {
            case MatcherKind.Family:
                return (FamilyMask & context.FamilyBits[index]) != 0;
            case MatcherKind.Path:
                return (frame.AbsPath ?? frame.Filename) is { } path && _glob!.IsPathMatch(path);
            case MatcherKind.Package:
                return frame.Package is { } package && _glob!.IsPathMatch(package);
            case MatcherKind.Module:
                return frame.Module is { } module && _glob!.IsMatch(module);
            case MatcherKind.Function:
                return (frame.Function ?? frame.RawFunction) is { } function && _glob!.IsMatch(function);
            case MatcherKind.Category:
                return context.Categories[index] is { } category && _glob!.IsMatch(category);
            case MatcherKind.App:
                return context.InApp[index] == _appFlag;
            case MatcherKind.ErrorType:
                return context.Exception?.Type is { } type && _glob!.IsMatch(type);
            case MatcherKind.ErrorValue:
                return context.Exception?.Value is { } value && _glob!.IsMatch(value);
            case MatcherKind.ErrorMechanism:
                return context.Exception?.MechanismType is { } mechanism && _glob!.IsMatch(mechanism);
            default:
                return false;
        }
    }
}

/// <summary>Matcher keys (canonical).</summary>
internal enum MatcherKind
{
    Unknown,
    Family,
    Path,
    Module,
    Function,
    Package,
    App,
    Category,
    ErrorType,
    ErrorValue,
    ErrorMechanism,
}
