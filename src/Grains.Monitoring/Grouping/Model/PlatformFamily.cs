namespace Grains.Monitoring.Grouping.Model;

/// <summary>Sentry's behaviour families (<c>get_behavior_family_for_platform</c>).</summary>
internal static class PlatformFamily
{
    internal const string Native = "native";
    internal const string JavaScript = "javascript";
    internal const string Other = "other";

    internal static string Of(string? platform) => platform switch
    {
        "objc" or "cocoa" or "swift" or "native" or "c" => Native,
        "javascript" or "node" => JavaScript,
        _ => Other,
    };
}
