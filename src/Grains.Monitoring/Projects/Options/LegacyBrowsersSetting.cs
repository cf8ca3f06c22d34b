namespace Grains.Monitoring.Projects.Options;

/// <summary>The legacy-browsers filter: off, on with the default set, or on with chosen subfilters.</summary>
public sealed record LegacyBrowsersSetting(bool Defaults, IReadOnlyList<string> Subfilters)
{
    public static LegacyBrowsersSetting Off { get; } = new(false, []);

    public bool IsActive => Defaults || Subfilters.Count > 0;
}
