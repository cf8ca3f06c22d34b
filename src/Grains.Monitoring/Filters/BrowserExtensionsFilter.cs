using System.Text.RegularExpressions;

namespace Grains.Monitoring.Filters;

/// <summary>
/// Relay's <c>browser_extensions</c>: the first exception's value is known extension noise, or the
/// last frame of its stack trace that is not anonymous comes from an extension or an injected script.
/// The lists are Relay's defaults (relay-filter <c>browser_extensions.rs</c>).
/// </summary>
public sealed partial class BrowserExtensionsFilter : IInboundFilter
{
    public static BrowserExtensionsFilter Instance { get; } = new();

    private static readonly string[] AnonymousFrames = ["<anonymous>", "[native code]"];

    public string Reason => FilterReasons.BrowserExtensions;

    public bool Matches(FilterEvent e)
    {
        var first = e.Exceptions.FirstOrDefault();
        if (first is null)
        {
            return false;
        }

        if (FilterEvent.Text(first["value"]) is { } value && ExtensionValues().IsMatch(value))
        {
            return true;
        }

        return Source(first) is { } source && ExtensionSources().IsMatch(source);
    }

    private static string? Source(System.Text.Json.Nodes.JsonObject exception)
    {
        if (exception["stacktrace"]?["frames"] is not System.Text.Json.Nodes.JsonArray frames)
        {
            return null;
        }

        for (var i = frames.Count - 1; i >= 0; i--)
        {
            if (FilterEvent.Text(frames[i]?["abs_path"]) is not { } path)
            {
                // Relay stops at the first frame without a path.
                return null;
            }

            if (!AnonymousFrames.Contains(path))
            {
                return path;
            }
        }

        return null;
    }

    [GeneratedRegex("""
        top\.GLOBALS
        |originalCreateNotification
        |canvas.contentDocument
        |MyApp_RemoveAllHighlights
        |http://tt\.epicplay\.com
        |Can't\sfind\svariable:\sZiteReader
        |jigsaw\sis\snot\sdefined
        |ComboSearch\sis\snot\sdefined
        |http://loading\.retry\.widdit\.com/
        |atomicFindClose
        |fb_xd_fragment
        |bmi_SafeAddOnload
        |EBCallBackMessageReceived
        |_gCrWeb
        |conduitPage
        |null\sis\snot\san\sobject\s\(evaluating\s'elt.parentNode'\)
        |plugin\.setSuspendState\sis\snot\sa\sfunction
        |Extension\scontext\sinvalidated
        |webkit-masked-url:
        |can't\saccess\sdead\sobject
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex ExtensionValues();

    [GeneratedRegex("""
        graph\.facebook\.com
        |connect\.facebook\.net
        |eatdifferent\.com\.woopra-ns\.com
        |static\.woopra\.com/js/woopra\.js
        |^chrome(-extension)?://
        |^moz-extension://
        |^safari(-web)?-extension://
        |webkit-masked-url
        |127\.0\.0\.1:4001/isrunning
        |webappstoolbarba\.texthelp\.com/
        |metrics\.itunes\.apple\.com\.edgesuite\.net/
        |kaspersky-labs\.com
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex ExtensionSources();
}
