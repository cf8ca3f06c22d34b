namespace Grains.Ingestion.Normalization.UserAgent;

/// <summary>A device recognized in a User-Agent.</summary>
/// <param name="Family">The device family, e.g. <c>iPhone</c>, <c>Samsung SM-G991B</c>, <c>Spider</c>.</param>
/// <param name="Brand">The manufacturer, if known.</param>
/// <param name="Model">The model, if known.</param>
public sealed record UserAgentDevice(string Family, string? Brand, string? Model);
