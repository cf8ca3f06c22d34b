namespace Grains.Monitoring.Search;

/// <summary>
/// The keys the parser knows (in their canonical spelling; they are matched case-insensitively).
/// Any other key is a tag name.
/// </summary>
public static class SearchKeys
{
    /// <summary>Status and substatus: <c>is:unresolved</c>, <c>is:regressed</c>…</summary>
    public const string Is = "is";

    /// <summary>The issue has a tag (<c>has:environment</c>, <c>!has:release</c>).</summary>
    public const string Has = "has";

    public const string Level = "level";

    /// <summary>The <c>environment</c> tag.</summary>
    public const string Environment = "environment";

    /// <summary>The <c>release</c> tag.</summary>
    public const string Release = "release";

    /// <summary>The release of the first event.</summary>
    public const string FirstRelease = "firstRelease";

    /// <summary>First seen, relative: <c>age:-24h</c> (within), <c>age:+7d</c> (older than).</summary>
    public const string Age = "age";

    public const string FirstSeen = "firstSeen";

    public const string LastSeen = "lastSeen";

    public const string TimesSeen = "timesSeen";

    public const string ErrorType = "error.type";

    public const string ErrorValue = "error.value";

    /// <summary>Same as free text (title, message, culprit).</summary>
    public const string Message = "message";

    /// <summary>The values <c>is:</c> accepts.</summary>
    public static IReadOnlyList<string> Statuses { get; } =
        ["unresolved", "resolved", "ignored", "archived", "muted", "new", "ongoing", "regressed", "escalating"];
}
