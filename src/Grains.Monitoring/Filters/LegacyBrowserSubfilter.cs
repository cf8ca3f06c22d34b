namespace Grains.Monitoring.Filters;

/// <summary>
/// One legacy-browser subfilter: Sentry's id, the user-agent family it applies to (uap-core's, with
/// <c>IE Mobile</c> read as <c>IE</c>) and the major versions it drops.
/// </summary>
public sealed record LegacyBrowserSubfilter(string Id, string Family, int MinMajor, int MaxMajor, bool Deprecated)
{
    /// <summary>
    /// The subfilters Sentry's settings offer since its Feb 2024 update (each drops a browser's
    /// versions up to the one named), then the deprecated ones older projects may still have.
    /// </summary>
    public static IReadOnlyList<LegacyBrowserSubfilter> All { get; } =
    [
        new("ie", "IE", int.MinValue, 11, false),
        new("edge", "Edge", int.MinValue, 18, false),
        new("safari", "Safari", int.MinValue, 11, false),
        new("firefox", "Firefox", int.MinValue, 66, false),
        new("chrome", "Chrome", int.MinValue, 62, false),
        new("opera", "Opera", int.MinValue, 50, false),
        new("android", "Android", int.MinValue, 3, false),
        new("opera_mini", "Opera Mini", int.MinValue, 34, false),
        new("ie_pre_9", "IE", int.MinValue, 8, true),
        new("ie9", "IE", 9, 9, true),
        new("ie10", "IE", 10, 10, true),
        new("ie11", "IE", 11, 11, true),
        new("opera_pre_15", "Opera", int.MinValue, 14, true),
        new("android_pre_4", "Android", int.MinValue, 3, true),
        new("safari_pre_6", "Safari", int.MinValue, 5, true),
        new("opera_mini_pre_8", "Opera Mini", int.MinValue, 7, true),
        new("edge_pre_79", "Edge", int.MinValue, 78, true),
    ];

    /// <summary>
    /// What <c>{"active": true}</c> filters (Relay's <c>default</c>): below these major versions, per family.
    /// </summary>
    public static IReadOnlyDictionary<string, int> DefaultMinimumVersions { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["Chrome"] = 0,
        ["IE"] = 10,
        ["Firefox"] = 0,
        ["Safari"] = 6,
        ["Edge"] = 0,
        ["Opera"] = 15,
        ["Android"] = 4,
        ["Opera Mini"] = 8,
    };

    public static LegacyBrowserSubfilter? Find(string id) => All.FirstOrDefault(s => s.Id == id);

    public bool Matches(string family, int major) => family == Family && major >= MinMajor && major <= MaxMajor;
}
