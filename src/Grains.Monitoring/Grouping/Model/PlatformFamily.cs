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

    /// <summary>All family bits (the <c>all</c> family).</summary>
    internal const int AllBits = 7;

    /// <summary>One bit per family so rules can be pre-filtered with a mask; unknown names get none.</summary>
    internal static int Bit(string family) => family switch
    {
        Native => 1,
        JavaScript => 2,
        Other => 4,
        _ => 0,
    };
}
