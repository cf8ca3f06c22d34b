namespace Grains.Server.Dashboard.IssueDetails;

/// <summary>The conditions an archive can end on (Sentry's archive menu).</summary>
public enum ArchiveKind
{
    /// <summary>Until the issue escalates (Sentry's default).</summary>
    UntilEscalating,

    /// <summary>Forever: only a person unarchives it.</summary>
    Forever,

    /// <summary>For a duration (<c>ignoreDuration</c>, minutes).</summary>
    ForDuration,

    /// <summary>Until it occurs N more times (<c>ignoreCount</c>, optionally within <c>ignoreWindow</c> minutes).</summary>
    UntilCount,

    /// <summary>Until it affects N more users (<c>ignoreUserCount</c>, optionally within <c>ignoreUserWindow</c> minutes).</summary>
    UntilUserCount,
}
