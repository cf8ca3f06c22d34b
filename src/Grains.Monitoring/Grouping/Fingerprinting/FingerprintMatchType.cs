namespace Grains.Monitoring.Grouping.Fingerprinting;

/// <summary>Which part of the event a fingerprint matcher reads (matchers of one type must match one entry).</summary>
internal enum FingerprintMatchType
{
    TopLevel,
    LogInfo,
    Exceptions,
    Frames,
    Tags,
    Sdk,
    Family,
    Release,
}
