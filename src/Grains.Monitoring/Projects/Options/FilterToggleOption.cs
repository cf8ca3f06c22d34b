using System.Text.Json.Nodes;
using Grains.Monitoring.Filters;

namespace Grains.Monitoring.Projects.Options;

/// <summary>
/// <c>filters:&lt;id&gt;</c> for an on/off inbound filter (Sentry stores <c>"1"</c>/<c>"0"</c>); set through
/// <c>PUT …/filters/{id}/</c>. Accepts a boolean, <c>"1"</c>/<c>"0"</c>, <c>"true"</c>/<c>"false"</c> or 1/0.
/// </summary>
public sealed class FilterToggleOption(string filterId, string description, string name) : BooleanProjectOption
{
    public static FilterToggleOption Localhost { get; } = new(
        "localhost", "Filter out events coming from localhost. This applies to both IPv4 (``127.0.0.1``) and IPv6 (``::1``) addresses.", "Filter out events coming from localhost");

    public static FilterToggleOption BrowserExtensions { get; } = new(
        "browser-extensions", "Certain browser extensions will inject inline scripts and are known to cause errors.", "Filter out errors known to be caused by browser extensions");

    public static FilterToggleOption WebCrawlers { get; } = new(
        "web-crawlers", "Filter out known web crawlers. Some crawlers may execute pages in incompatible ways which then cause errors that are unlikely to be seen by a normal user.", "Filter out known web crawlers");

    /// <summary>The filter's id in Sentry's API (<c>localhost</c>, …).</summary>
    public string FilterId { get; } = filterId;

    /// <summary>The description of Sentry's filter list.</summary>
    public string Description { get; } = description;

    /// <summary>The name of Sentry's filter list.</summary>
    public string Name { get; } = name;

    public override string Key => "filters:" + FilterId;

    protected override JsonNode? Format(bool value) => JsonValue.Create(value ? "1" : "0");

    /// <summary>The compiled filter, or null when off.</summary>
    public IInboundFilter? Compile(ProjectOptions options)
    {
        if (!Read(options))
        {
            return null;
        }

        return FilterId switch
        {
            "localhost" => LocalhostFilter.Instance,
            "browser-extensions" => BrowserExtensionsFilter.Instance,
            "web-crawlers" => WebCrawlersFilter.Instance,
            _ => null,
        };
    }
}
