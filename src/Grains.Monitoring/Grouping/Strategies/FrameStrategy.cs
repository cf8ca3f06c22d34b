using System.Text.RegularExpressions;
using Grains.Monitoring.Grouping.Model;

namespace Grains.Monitoring.Grouping.Strategies;

/// <summary>
/// Builds a <c>frame</c> component: module, filename, function and (for platforms with trustworthy
/// source) context line, each normalised so that incidental differences (paths, generated class
/// suffixes, browser quirks) do not split issues. Line and column numbers are never used.
/// </summary>
internal static partial class FrameStrategy
{
    private static readonly string[] ContextLinePlatforms = { "javascript", "node", "python", "php", "ruby" };

    [GeneratedRegex(@"__\d{4,}_\d{4,}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex RubyErbSuffix();

    [GeneratedRegex(@"(sun\.reflect\.Generated(?:Serialization)?ConstructorAccessor)\d+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex JavaReflectAccessor();

    [GeneratedRegex(@"(\$\$[\w_]+?CGLIB\$\$)[a-fA-F0-9]+(_[0-9]+)?", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex JavaCglib();

    [GeneratedRegex(@"(\$\$_javassist)(?:_seam)?(?:_[0-9]+)?", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex JavaAssist();

    [GeneratedRegex(@"(\$fn__)\d+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Clojure();

    [GeneratedRegex(@"(\$\$?EnhancerBy[\w_]+?\$?\$)[a-fA-F0-9]+(_[0-9]+)?", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex JavaEnhancerBy();

    [GeneratedRegex(@"(\$\$?FastClassBy[\w_]+?\$?\$)[a-fA-F0-9]+(_[0-9]+)?", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex JavaFastClassBy();

    [GeneratedRegex(@"(\$\$?HibernateProxy\$?\$)\w+(_[0-9]+)?", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex JavaHibernateProxy();

    public static GroupingComponent Build(EventFrame frame, string eventPlatform)
    {
        var platform = frame.Platform ?? eventPlatform;
        var isJs = PlatformFamily.Of(platform) == PlatformFamily.JavaScript;

        var filename = FilenameComponent(frame.AbsPath, frame.Filename, platform);
        var module = ModuleComponent(frame.AbsPath, frame.Module, platform);
        if (module.Contributes && filename.Contributes)
        {
            filename.Update("ignored because module takes precedence", false);
        }

        GroupingComponent? contextLine = null;
        if (!string.IsNullOrEmpty(frame.ContextLine) && Array.IndexOf(ContextLinePlatforms, platform) >= 0)
        {
            contextLine = ContextLineComponent(frame, platform);
        }

        var function = FunctionComponent(frame, platform, contextLine?.Contributes == true);
        var children = contextLine is null
            ? new[] { module, filename, function }
            : new[] { module, filename, function, contextLine };
        var component = GroupingComponent.Node("frame", children);

        if (isJs)
        {
            var func = frame.RawFunction ?? frame.Function;
            if (!string.IsNullOrEmpty(func))
            {
                func = AfterLastDot(func);
            }

            if (string.IsNullOrEmpty(func))
            {
                function.Update(contributes: false);
            }
            else if (func is "?" or "<anonymous function>" or "<anonymous>" or "Anonymous function" || func.EndsWith("/<", StringComparison.Ordinal))
            {
                function.Update("ignored unknown function name", false);
            }

            if (func == "eval" || frame.AbsPath is "[native code]" or "native code" or "eval code" or "<anonymous>")
            {
                component.Update("ignored low quality javascript frame", false);
            }
        }

        return component;
    }

    /// <summary>True for <c>http:</c>, <c>https:</c>, <c>applewebdata:</c>, <c>blob:</c> (and <c>file:</c> when asked).</summary>
    public static bool HasUrlOrigin(string? path, bool filesCountAsUrls)
    {
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }

        if (path.StartsWith("http:", StringComparison.Ordinal) || path.StartsWith("https:", StringComparison.Ordinal)
            || path.StartsWith("applewebdata:", StringComparison.Ordinal) || path.StartsWith("blob:", StringComparison.Ordinal))
        {
            return true;
        }

        return path.StartsWith("file:", StringComparison.Ordinal) && filesCountAsUrls;
    }

    internal static string Basename(string path)
    {
        var index = path.AsSpan().LastIndexOfAny('/', '\\');
        return index < 0 ? path : path[(index + 1)..];
    }

    private static string AfterLastDot(string value)
    {
        var index = value.LastIndexOf('.');
        return index < 0 ? value : value[(index + 1)..];
    }

    private static GroupingComponent FilenameComponent(string? absPath, string? filename, string platform)
    {
        var component = new GroupingComponent("filename");
        if (filename is null)
        {
            return component;
        }

        var basename = Basename(filename).ToLowerInvariant();
        component.SetValues(new[] { basename });
        if (HasUrlOrigin(absPath, filesCountAsUrls: false))
        {
            component.Update("ignored because frame points to a URL", false);
        }
        else if (basename == "<anonymous>")
        {
            component.Update("ignored because filename is anonymous", false);
        }
        else if (basename == "[native code]")
        {
            component.Update("ignored because filename suggests native code", false);
        }
        else if (platform == "java")
        {
            var cleaned = JavaAssist().Replace(basename, "$1<auto>");
            if (cleaned != basename)
            {
                component.SetValues(new[] { cleaned }, "cleaned javassist parts");
            }
        }

        return component;
    }

    private static GroupingComponent ModuleComponent(string? absPath, string? module, string platform)
    {
        var component = new GroupingComponent("module");
        if (module is null)
        {
            return component;
        }

        component.SetValues(new[] { module });
        if (platform == "javascript" && module.Contains('/') && absPath is not null && absPath.EndsWith(module, StringComparison.Ordinal))
        {
            component.Update("ignored bad javascript module", false);
        }
        else if (platform == "java")
        {
            if (module.Contains("$$Lambda$", StringComparison.Ordinal))
            {
                component.Update("ignored java lambda", false);
            }

            // Setting values re-derives the flag, exactly as upstream's update(values=...) does.
            if (module.StartsWith("sun.reflect.GeneratedMethodAccessor", StringComparison.Ordinal))
            {
                component.SetValues(new[] { "sun.reflect.GeneratedMethodAccessor" }, "removed reflection marker");
            }
            else if (module.StartsWith("jdk.internal.reflect.GeneratedMethodAccessor", StringComparison.Ordinal))
            {
                component.SetValues(new[] { "jdk.internal.reflect.GeneratedMethodAccessor" }, "removed reflection marker");
            }
            else
            {
                var cleaned = JavaReflectAccessor().Replace(module, "$1<auto>");
                cleaned = JavaCglib().Replace(cleaned, "$1<auto>");
                cleaned = JavaAssist().Replace(cleaned, "$1<auto>");
                cleaned = Clojure().Replace(cleaned, "$1<auto>");
                cleaned = JavaEnhancerBy().Replace(cleaned, "$1<auto>");
                cleaned = JavaFastClassBy().Replace(cleaned, "$1<auto>");
                cleaned = JavaHibernateProxy().Replace(cleaned, "$1<auto>");
                if (cleaned != module)
                {
                    component.SetValues(new[] { cleaned }, "removed codegen marker");
                }
            }
        }

        return component;
    }

    private static GroupingComponent FunctionComponent(EventFrame frame, string platform, bool contextLineAvailable)
    {
        var component = new GroupingComponent("function");
        var family = PlatformFamily.Of(platform);

        // C# keeps grouping on the untrimmed name: trimming arrived later and would have regrouped .NET issues.
        var func = platform == "csharp"
            ? (string.IsNullOrEmpty(frame.RawFunction) ? frame.Function : frame.RawFunction)
            : (string.IsNullOrEmpty(frame.Function) ? frame.RawFunction : frame.Function);
        if (string.IsNullOrEmpty(func))
        {
            return component;
        }

        component.SetValues(new[] { func });
        if (platform == "ruby")
        {
            if (func.StartsWith("block ", StringComparison.Ordinal))
            {
                component.SetValues(new[] { "block" }, "ruby block");
            }
            else
            {
                var cleaned = RubyErbSuffix().Replace(func, string.Empty);
                if (cleaned != func)
                {
                    component.SetValues(new[] { cleaned }, "removed generated erb template suffix");
                }
            }
        }
        else if (platform == "php")
        {
            if (func.StartsWith("[Anonymous", StringComparison.Ordinal) || func.StartsWith("class@anonymous\0", StringComparison.Ordinal))
            {
                component.Update("ignored anonymous function", false);
            }

            if (func.StartsWith("class@anonymous", StringComparison.Ordinal))
            {
                var index = func.LastIndexOf("::", StringComparison.Ordinal);
                if (index >= 0)
                {
                    component.SetValues(new[] { func[(index + 2)..] }, "anonymous class method");
                }
            }
        }
        else if (platform == "java")
        {
            if (func.StartsWith("lambda$", StringComparison.Ordinal))
            {
                component.Update("ignored lambda function", false);
            }
        }
        else if (family == PlatformFamily.Native && func is "<redacted>" or "<unknown>")
        {
            component.Update("ignored unknown function", false);
        }
        else if (family == PlatformFamily.JavaScript)
        {
            // `Object.foo` vs `foo`: browsers disagree on the receiver prefix, so keep the last segment.
            var trimmed = AfterLastDot(func);
            if (trimmed != func)
            {
                component.SetValues(new[] { trimmed }, "trimmed javascript function");
            }

            // Source-mapped names are unreliable; the context line is the better signal.
            if (frame.SourcemapUsed && contextLineAvailable)
            {
                component.Update("ignored because sourcemap used and context line available", false);
            }
        }

        return component;
    }

    private static GroupingComponent ContextLineComponent(EventFrame frame, string platform)
    {
        var component = new GroupingComponent("context_line");
        var raw = frame.ContextLine ?? string.Empty;
        var line = CollapseWhiteSpace(raw);
        if (line.Length == 0)
        {
            return component;
        }

        component.SetValues(new[] { line });
        // Code points never outnumber UTF-16 units, so short lines need no counting.
        if (raw.Length > 120 && CodePointLength(raw) > 120)
        {
            component.Update("ignored because line is too long", false);
        }
        else if (PlatformFamily.Of(platform) == PlatformFamily.JavaScript && string.IsNullOrEmpty(frame.Function) && HasUrlOrigin(frame.AbsPath, filesCountAsUrls: true))
        {
            component.Update("ignored because file path is a URL and function name is missing", false);
        }

        return component;
    }

    /// <summary>
    /// Runs of white space become one space, none at either end (what splitting on white space and joining
    /// with a space gives); most lines only need their indentation cut, so that case does not allocate twice.
    /// </summary>
    internal static string CollapseWhiteSpace(string raw)
    {
        var trimmed = raw.AsSpan().Trim();
        var clean = true;
        for (var i = 0; i < trimmed.Length; i++)
        {
            if (char.IsWhiteSpace(trimmed[i]) && (trimmed[i] != ' ' || char.IsWhiteSpace(trimmed[i + 1])))
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return trimmed.Length == raw.Length ? raw : trimmed.ToString();
        }

        return string.Join(' ', raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static int CodePointLength(string value)
    {
        var length = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            length++;
        }

        return length;
    }
}
