using System.Globalization;
using Grains.Ingestion.Normalization.UserAgent;

namespace Grains.Monitoring.Filters;

/// <summary>
/// Relay's <c>legacy_browsers</c>: the event's <c>User-Agent</c> header, parsed with uap-core, is a
/// browser version the project drops: the default minimum versions when the filter is simply on, or
/// any of the chosen subfilters. An unparseable agent or version is never filtered.
/// </summary>
public sealed class LegacyBrowsersFilter : IInboundFilter
{
    private readonly LegacyBrowserSubfilter[] _subfilters;
    private readonly bool _defaults;
    private readonly UserAgentParser _parser;

    /// <param name="subfilters">Subfilter ids; unknown ids are ignored (forward compatibility, as Relay).</param>
    /// <param name="defaults">The default set (<c>{"active": true}</c>) instead of <paramref name="subfilters"/>.</param>
    /// <param name="parser">The user-agent parser (uap-core's rules; the embedded one when null).</param>
    public LegacyBrowsersFilter(IEnumerable<string> subfilters, bool defaults, UserAgentParser? parser = null)
    {
        _subfilters = [.. subfilters.Select(LegacyBrowserSubfilter.Find).OfType<LegacyBrowserSubfilter>()];
        _defaults = defaults;
        _parser = parser ?? UserAgentParser.Default;
    }

    public string Reason => FilterReasons.LegacyBrowsers;

    public bool IsEmpty => !_defaults && _subfilters.Length == 0;

    public bool Matches(FilterEvent e)
    {
        if (IsEmpty || e.UserAgent is not { } agent)
        {
            return false;
        }

        var browser = _parser.Parse(agent).Browser;
        if (browser?.Major is not { } majorText
            || !int.TryParse(majorText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var major))
        {
            return false;
        }

        var family = browser.Family == "IE Mobile" ? "IE" : browser.Family;
        if (_defaults)
        {
            return LegacyBrowserSubfilter.DefaultMinimumVersions.TryGetValue(family, out var minimum) && major < minimum;
        }

        foreach (var subfilter in _subfilters)
        {
            if (subfilter.Matches(family, major))
            {
                return true;
            }
        }

        return false;
    }
}
