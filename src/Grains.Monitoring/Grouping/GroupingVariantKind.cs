namespace Grains.Monitoring.Grouping;

/// <summary>How a variant's hash is derived (Sentry's variant <c>type</c>).</summary>
public enum GroupingVariantKind
{
    /// <summary>md5 of the component tree's contributing values.</summary>
    Component,

    /// <summary>Hybrid fingerprint: <c>{{ default }}</c> replaced by the tree's contributing values.</summary>
    SaltedComponent,

    /// <summary>Client or project fingerprint: md5 of the resolved values.</summary>
    CustomFingerprint,

    /// <summary>Fingerprint from a built-in rule (e.g. ChunkLoadError).</summary>
    BuiltInFingerprint,

    /// <summary>Legacy 32-hex <c>checksum</c> used verbatim.</summary>
    Checksum,

    /// <summary>Legacy non-hex <c>checksum</c>, md5'ed.</summary>
    HashedChecksum,

    /// <summary>Nothing contributed: md5 of nothing.</summary>
    Fallback,
}
