using Grains.Monitoring.Projects.Options;

namespace Grains.Monitoring.Filters;

/// <summary>
/// A project's inbound filters, compiled once from its options (globs into one expression per list,
/// networks parsed) and kept with the edge's cached key, in Relay's order: client IPs, releases, error
/// messages, localhost, browser extensions, legacy browsers, web crawlers. Filters that are off or
/// empty are left out, so a project without filters costs one check per event.
/// </summary>
public sealed class InboundFilters
{
    public static InboundFilters None { get; } = new([]);

    private readonly IInboundFilter[] _filters;

    public InboundFilters(IReadOnlyList<IInboundFilter> filters) => _filters = [.. filters];

    public bool IsEmpty => _filters.Length == 0;

    public IReadOnlyList<IInboundFilter> Filters => _filters;

    /// <summary>The reason of the first filter that drops the event (<see cref="FilterReasons"/>), or null to keep it.</summary>
    public string? Evaluate(FilterEvent e)
    {
        foreach (var filter in _filters)
        {
            if (filter.Matches(e))
            {
                return filter.Reason;
            }
        }

        return null;
    }

    /// <summary>Compiles the filters <paramref name="options"/> turn on.</summary>
    public static InboundFilters Compile(ProjectOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Values.IsEmpty)
        {
            return None;
        }

        var filters = new List<IInboundFilter>();
        var ips = new ClientIpsFilter(BlacklistedIpsOption.Instance.Read(options));
        if (!ips.IsEmpty)
        {
            filters.Add(ips);
        }

        if (ReleasesFilterOption.Instance.Read(options) is { Count: > 0 } releases)
        {
            filters.Add(new ReleasesFilter(new GlobList(releases)));
        }

        if (ErrorMessagesFilterOption.Instance.Read(options) is { Count: > 0 } messages)
        {
            filters.Add(new ErrorMessagesFilter(new GlobList(messages)));
        }

        AddIfOn(filters, FilterToggleOption.Localhost.Compile(options));
        AddIfOn(filters, FilterToggleOption.BrowserExtensions.Compile(options));
        AddIfOn(filters, LegacyBrowsersOption.Instance.Compile(options));
        AddIfOn(filters, FilterToggleOption.WebCrawlers.Compile(options));
        return filters.Count == 0 ? None : new InboundFilters(filters);
    }

    private static void AddIfOn(List<IInboundFilter> filters, IInboundFilter? filter)
    {
        if (filter is not null)
        {
            filters.Add(filter);
        }
    }
}
