using Grains.Monitoring.Projects;
using Grains.Monitoring.Projects.Options;
using System.Text.Json.Nodes;

namespace Grains.Server.Api.Filters;

/// <summary>
/// A project's inbound filter toggles, read from and written to its options through the project grain
/// (which tells the ingest edge to recompile the project's filters): the one code path of the filters
/// API (<see cref="FilterEndpoints"/>) and the dashboard's inbound filters page.
/// </summary>
internal static partial class InboundFilterSettings
{
    private const string LegacyBrowsersDescription =
        "Older browsers often give less accurate information, and while they may report valid issues, the context to understand them is incorrect or missing.";

    private const string LegacyBrowsersName = "Filter out known errors from legacy browsers";

    /// <summary>The filters with their state, sorted by name (as Sentry lists them).</summary>
    public static IReadOnlyList<InboundFilterState> List(ProjectOptions options)
    {
        var filters = new List<InboundFilterState>();
        foreach (var toggle in (ReadOnlySpan<FilterToggleOption>)[FilterToggleOption.Localhost, FilterToggleOption.BrowserExtensions, FilterToggleOption.WebCrawlers])
        {
            filters.Add(new InboundFilterState(toggle.FilterId, JsonValue.Create(toggle.Read(options)), toggle.Description, toggle.Name));
        }

        filters.Add(new InboundFilterState(LegacyBrowsersOption.FilterId, LegacyBrowsersOption.Instance.ToApi(options), LegacyBrowsersDescription, LegacyBrowsersName));
        return [.. filters.OrderBy(f => f.Name, StringComparer.Ordinal)];
    }

    /// <summary>The option behind a filter id, or null for an unknown filter.</summary>
    public static IProjectOption? Option(string filterId) => filterId switch
    {
        "localhost" => FilterToggleOption.Localhost,
        "browser-extensions" => FilterToggleOption.BrowserExtensions,
        "web-crawlers" => FilterToggleOption.WebCrawlers,
        LegacyBrowsersOption.FilterId => LegacyBrowsersOption.Instance,
        _ => null,
    };

    /// <summary>
    /// Writes <paramref name="input"/> (the raw JSON of <c>active</c> or <c>subfilters</c>) to the filter's
    /// option; the option's first error when it refuses the value, else null.
    /// </summary>
    public static async Task<string?> UpdateAsync(IProjectGrain project, IProjectOption option, string input, ILogger logger, string organizationSlug, string projectSlug)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(option);
        var result = await project.UpdateOptionsAsync(new Dictionary<string, string> { [option.Key] = input });
        if (!result.IsValid)
        {
            return result.Errors.Values.First();
        }

        LogUpdated(logger, organizationSlug, projectSlug, option.Key["filters:".Length..]);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbound filter {FilterId} of project {Organization}/{Slug} updated")]
    private static partial void LogUpdated(ILogger logger, string organization, string slug, string filterId);
}
