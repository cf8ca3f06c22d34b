namespace Grains.Server.Ingest.Admission;

/// <summary>A quota in the server's settings: <see cref="Count"/> error events per <see cref="Window"/> seconds.</summary>
public sealed class QuotaSetting
{
    /// <summary>Default window: one minute, Sentry's unit for per-key and account rate limits.</summary>
    public const long DefaultWindow = 60;

    /// <summary>Events (categories <c>default</c>, <c>error</c>, <c>security</c>) per window; 0 rejects all; absent means no quota.</summary>
    public long? Count { get; set; }

    /// <summary>The window in seconds (1 to 86400, as Sentry's key rate limits). Default <see cref="DefaultWindow"/>.</summary>
    public long Window { get; set; } = DefaultWindow;
}
