using System.Text.Json.Nodes;

namespace Grains.Monitoring.Grouping;

/// <summary>One way of hashing the event (<c>app</c>, <c>system</c>, <c>default</c>, a fingerprint, checksum or fallback).</summary>
public sealed class GroupingVariant
{
    internal GroupingVariant(string name, GroupingVariantKind kind, string? hash, string description)
    {
        Name = name;
        Kind = kind;
        Hash = hash;
        Description = description;
    }

    /// <summary>Variant key, e.g. <c>app</c>, <c>system</c>, <c>custom_client_fingerprint</c>.</summary>
    public string Name { get; }

    /// <summary>How the hash is derived.</summary>
    public GroupingVariantKind Kind { get; }

    /// <summary>md5 hex, or null when the variant does not contribute.</summary>
    public string? Hash { get; }

    /// <summary>Whether the variant produces a hash used for grouping.</summary>
    public bool Contributes => Hash is not null;

    /// <summary>Human description (Sentry's grouping-info <c>description</c>).</summary>
    public string Description { get; }

    /// <summary>Why the variant does not contribute, if it does not.</summary>
    public string? Hint { get; internal init; }

    /// <summary>Root of the component tree (component and salted variants only).</summary>
    public GroupingComponent? Component { get; internal init; }

    /// <summary>Fingerprint values (fingerprint and salted variants) or the checksum.</summary>
    public IReadOnlyList<string>? Values { get; internal init; }

    /// <summary>Client fingerprint and matched server rule, as Sentry stores in <c>_fingerprint_info</c>.</summary>
    public JsonObject? FingerprintInfo { get; internal init; }

    /// <summary>Id of the first contributing child of the root (e.g. <c>exception</c>), as in Sentry snapshots.</summary>
    public string? ContributingComponentId =>
        Component?.Children.FirstOrDefault(c => c.Contributes)?.Id;

    /// <summary>The exact list that was hashed (after <c>{{ default }}</c> expansion), or null if none.</summary>
    public IReadOnlyList<string>? HashedValues { get; internal init; }

    /// <summary>Sentry grouping-info shape for this variant.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["key"] = Name,
            ["type"] = Kind switch
            {
                GroupingVariantKind.Component => "component",
                GroupingVariantKind.SaltedComponent => "salted_component",
                GroupingVariantKind.CustomFingerprint => "custom_fingerprint",
                GroupingVariantKind.BuiltInFingerprint => "built_in_fingerprint",
                GroupingVariantKind.Checksum => "checksum",
                GroupingVariantKind.HashedChecksum => "hashed_checksum",
                _ => "fallback",
            },
            ["description"] = Description,
            ["hash"] = Hash,
            ["contributes"] = Contributes,
            ["hint"] = Hint,
        };
        if (Component is not null)
        {
            json["contributing_component"] = ContributingComponentId;
            json["component"] = Component.ToJson();
        }

        if (Values is not null)
        {
            json["values"] = new JsonArray(Values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        }

        if (FingerprintInfo is not null)
        {
            json["fingerprint_info"] = FingerprintInfo.DeepClone();
        }

        return json;
    }
}
