using System.Text.Json;
using Grains.Monitoring.Filters;
using Grains.Monitoring.Projects.Options;

namespace Grains.Monitoring.Tests.Filters;

/// <summary>Compiling a project's options into its filters, and Relay's order.</summary>
public sealed class InboundFiltersTests
{
    [Fact]
    public void A_project_without_options_has_no_filters() => Assert.True(InboundFilters.Compile(ProjectOptions.Empty).IsEmpty);

    [Fact]
    public void Filters_run_in_relays_order_and_the_first_match_is_the_reason()
    {
        var options = Options(
            (BlacklistedIpsOption.Instance, "\"192.0.2.0/24\""),
            (ReleasesFilterOption.Instance, "\"1.*\""),
            (ErrorMessagesFilterOption.Instance, "\"*boom*\""),
            (FilterToggleOption.Localhost, "true"),
            (FilterToggleOption.BrowserExtensions, "true"),
            (LegacyBrowsersOption.Instance, "[\"ie\"]"),
            (FilterToggleOption.WebCrawlers, "true"));
        var filters = InboundFilters.Compile(options);

        Assert.Equal(
            [FilterReasons.IpAddress, FilterReasons.ReleaseVersion, FilterReasons.ErrorMessage, FilterReasons.Localhost, FilterReasons.BrowserExtensions, FilterReasons.LegacyBrowsers, FilterReasons.WebCrawlers],
            filters.Filters.Select(f => f.Reason));

        const string Everything = """
            {"release": "1.0", "user": {"ip_address": "127.0.0.1"}, "exception": {"values": [{"type": "E", "value": "boom"}]},
             "request": {"headers": [["User-Agent", "Googlebot"]]}}
            """;
        Assert.Equal(FilterReasons.IpAddress, filters.Evaluate(FilterEvents.Of(Everything, "192.0.2.5")));
        Assert.Equal(FilterReasons.ReleaseVersion, filters.Evaluate(FilterEvents.Of(Everything, "198.51.100.1")));
        Assert.Equal(FilterReasons.Localhost, filters.Evaluate(FilterEvents.Of("""{"release": "2.0", "user": {"ip_address": "::1"}, "request": {"headers": [["User-Agent", "Googlebot"]]}}""")));
        Assert.Equal(FilterReasons.WebCrawlers, filters.Evaluate(FilterEvents.Of("""{"release": "2.0", "request": {"headers": [["User-Agent", "Googlebot"]]}}""")));
        Assert.Null(filters.Evaluate(FilterEvents.Of("""{"release": "2.0"}""")));
    }

    [Fact]
    public void Switched_off_filters_are_left_out()
    {
        var filters = InboundFilters.Compile(Options((FilterToggleOption.Localhost, "false"), (LegacyBrowsersOption.Instance, "false")));
        Assert.True(filters.IsEmpty);
    }

    private static ProjectOptions Options(params (IProjectOption Option, string Input)[] values)
    {
        var stored = new Dictionary<string, string>();
        foreach (var (option, input) in values)
        {
            using var document = JsonDocument.Parse(input);
            var parsed = option.Parse(document.RootElement);
            Assert.True(parsed.IsValid, parsed.Error);
            if (parsed.ValueJson is { } json)
            {
                stored[option.Key] = json;
            }
        }

        return ProjectOptions.From(stored);
    }
}
