namespace Grains.Ingestion.Normalization.UserAgent;

/// <summary>What uap-core's rules recognize in one User-Agent; each part is null when the rules answer <c>Other</c>.</summary>
/// <param name="Browser">The browser (uap-core's <c>user_agent_parsers</c>).</param>
/// <param name="Os">The operating system (<c>os_parsers</c>).</param>
/// <param name="Device">The device (<c>device_parsers</c>).</param>
public sealed record ParsedUserAgent(UserAgentVersion? Browser, UserAgentVersion? Os, UserAgentDevice? Device)
{
    /// <summary>Nothing recognized.</summary>
    public static ParsedUserAgent Unknown { get; } = new(null, null, null);
}
