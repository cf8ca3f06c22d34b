namespace Grains.Server.Api.RateLimits;

/// <summary>
/// A parsed <c>rateLimit</c> field: absent (leave as is), or a change to <see cref="Count"/> events
/// per <see cref="Window"/> seconds, which clears the limit unless both are set (Sentry's semantics).
/// </summary>
public readonly record struct RateLimitInput(bool Present, long? Count, long? Window)
{
    /// <summary>The field was absent.</summary>
    public static readonly RateLimitInput Absent = new(false, null, null);

    /// <summary>Whether the change sets a limit (both fields) rather than clearing it.</summary>
    public bool Sets => Present && Count is not null && Window is not null;
}
