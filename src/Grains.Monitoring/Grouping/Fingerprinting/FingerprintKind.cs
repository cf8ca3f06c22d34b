namespace Grains.Monitoring.Grouping.Fingerprinting;

/// <summary>How a fingerprint combines with the default grouping.</summary>
public enum FingerprintKind
{
    /// <summary>Exactly <c>{{ default }}</c> (or missing): normal strategy hashing.</summary>
    Default,

    /// <summary><c>{{ default }}</c> plus other entries: strategy variants are salted with the extra entries.</summary>
    Hybrid,

    /// <summary>No <c>{{ default }}</c>: only the resolved fingerprint values are hashed.</summary>
    Custom,
}
