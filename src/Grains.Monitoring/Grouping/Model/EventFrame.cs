using System.Text.Json.Nodes;

namespace Grains.Monitoring.Grouping.Model;

/// <summary>A stack frame as grouping sees it, after ingest-side normalisation.</summary>
internal sealed class EventFrame
{
    public string? AbsPath { get; init; }
    public string? Filename { get; init; }
    public string? Module { get; init; }
    public string? Package { get; init; }
    public string? Function { get; set; }
    public string? RawFunction { get; set; }
    public string? Platform { get; init; }
    public string? ContextLine { get; init; }

    /// <summary>
    /// Line and column as raw JSON text: only compared for recursion, never hashed, so they are written out only
    /// when a frame's other identity fields equal the previous frame's (<see cref="IsRepeatOf"/>), not for every frame.
    /// </summary>
    public string? Lineno => _lineno ??= _linenoNode?.ToJsonString();

    public string? Colno => _colno ??= _colnoNode?.ToJsonString();

    private JsonNode? _linenoNode;
    private JsonNode? _colnoNode;
    private string? _lineno;
    private string? _colno;
    public bool SourcemapUsed { get; init; }

    /// <summary>The in-app flag the SDK sent (null when absent).</summary>
    public bool? ClientInApp { get; init; }

    /// <summary>Current in-app flag; stack-trace rules and normalisation update it.</summary>
    public bool? InApp { get; set; }

    /// <summary>Original flag when rules changed it: -1 = was missing, 0/1 = was false/true (Sentry's <c>orig_in_app</c>).</summary>
    public int? OrigInApp { get; set; }

    /// <summary>Category assigned by classifier rules (e.g. <c>framework</c>).</summary>
    public string? Category { get; set; }

    /// <summary>Which rules' frame-local matchers hold for this frame, once looked up (reused by the later rule passes of the same event).</summary>
    public Enhancements.FrameRuleMatches? RuleMatches { get; set; }

    /// <summary>Sentry's <c>set_in_app</c>: record the original value the first time it changes.</summary>
    public void SetInApp(bool value)
    {
        if (InApp == value)
        {
            return;
        }

        OrigInApp ??= InApp is bool old ? (old ? 1 : 0) : -1;
        InApp = value;
    }

    public static EventFrame FromJson(JsonObject json)
    {
        var data = json["data"] as JsonObject;
        var inApp = JsonRead.Bool(json["in_app"]);
        var (absPath, filename) = DerivePaths(JsonRead.String(json["abs_path"]), JsonRead.String(json["filename"]));
        var frame = new EventFrame
        {
            AbsPath = absPath,
            Filename = filename,
            Module = JsonRead.String(json["module"]),
            Package = JsonRead.String(json["package"]),
            Function = JsonRead.String(json["function"]),
            RawFunction = JsonRead.String(json["raw_function"]),
            Platform = JsonRead.String(json["platform"]),
            ContextLine = JsonRead.String(json["context_line"]),
            _linenoNode = json["lineno"],
            _colnoNode = json["colno"],
            SourcemapUsed = data?["sourcemap"] is not null,
            ClientInApp = inApp,
            InApp = inApp,
        };
        return frame;
    }

    /// <summary>
    /// Relay's frame normalisation: a missing <c>abs_path</c> is taken from <c>filename</c>, and a missing
    /// <c>filename</c> from <c>abs_path</c> (only the URL path when it is a URL).
    /// </summary>
    internal static (string? AbsPath, string? Filename) DerivePaths(string? absPath, string? filename)
    {
        if (string.IsNullOrEmpty(absPath))
        {
            absPath = string.IsNullOrEmpty(filename) ? absPath : filename;
        }

        if (string.IsNullOrEmpty(filename) && !string.IsNullOrEmpty(absPath))
        {
            filename = absPath;
            if (absPath.Contains("://", StringComparison.Ordinal)
                && Uri.TryCreate(absPath, UriKind.Absolute, out var uri)
                && uri.AbsolutePath is { Length: > 1 } path)
            {
                filename = path;
            }
        }

        return (absPath, filename);
    }

    /// <summary>Recursion check: every identity field equal to the previous frame's.</summary>
    public bool IsRepeatOf(EventFrame? previous) =>
        previous is not null
        && AbsPath == previous.AbsPath
        && Package == previous.Package
        && Module == previous.Module
        && Filename == previous.Filename
        && Function == previous.Function
        && Lineno == previous.Lineno
        && Colno == previous.Colno;
}
