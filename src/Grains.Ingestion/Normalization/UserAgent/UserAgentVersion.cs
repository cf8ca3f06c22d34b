namespace Grains.Ingestion.Normalization.UserAgent;

/// <summary>A browser or operating system recognized in a User-Agent: its family and up to three version parts.</summary>
/// <param name="Family">The name, e.g. <c>Chrome</c>, <c>Mac OS X</c>.</param>
/// <param name="Major">The major version, if any.</param>
/// <param name="Minor">The minor version, if any.</param>
/// <param name="Patch">The patch version, if any.</param>
public sealed record UserAgentVersion(string Family, string? Major, string? Minor, string? Patch)
{
    /// <summary>
    /// The version as Relay writes it (<c>get_version</c>): <c>major</c>, <c>major.minor</c> or
    /// <c>major.minor.patch</c>; a patch without a minor is dropped; null without a major.
    /// </summary>
    public string? Version => Major is null ? null : Minor is null ? Major : Patch is null ? $"{Major}.{Minor}" : $"{Major}.{Minor}.{Patch}";
}
