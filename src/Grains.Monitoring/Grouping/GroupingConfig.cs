using Grains.Monitoring.Grouping.Enhancements;
using Grains.Monitoring.Grouping.Fingerprinting;

namespace Grains.Monitoring.Grouping;

/// <summary>
/// Everything grouping needs besides the event: the config id, the parsed stack-trace rules (built-in
/// plus project) and the server-side fingerprint rules. Immutable; build once per project settings
/// change and reuse for every event (parsing is the expensive part).
/// </summary>
public sealed class GroupingConfig
{
    /// <summary>The only config implemented: Sentry's 2026 grouping behaviour.</summary>
    public const string NewStyle2026 = "newstyle:2026-01-20";

    /// <summary>Creates a config from already parsed rule sets.</summary>
    public GroupingConfig(EnhancementRuleSet enhancements, FingerprintRuleSet fingerprintRules, string id = NewStyle2026)
    {
        if (id != NewStyle2026)
        {
            throw new ArgumentException($"Unsupported grouping config '{id}'; only {NewStyle2026} is implemented.", nameof(id));
        }

        Id = id;
        Enhancements = enhancements;
        FingerprintRules = fingerprintRules;
    }

    /// <summary>Built-in stack-trace rules and built-in fingerprint rules only.</summary>
    public static GroupingConfig Default { get; } = new(EnhancementRuleSet.Default, FingerprintRuleSet.Default);

    /// <summary>Grouping config id stored with every hash so a later config change can be detected.</summary>
    public string Id { get; }

    /// <summary>Stack-trace rules: built-in base followed by the project's rules.</summary>
    public EnhancementRuleSet Enhancements { get; }

    /// <summary>Project fingerprint rules followed by the built-in ones.</summary>
    public FingerprintRuleSet FingerprintRules { get; }

    /// <summary>
    /// Builds a config from project settings text. Throws <see cref="EnhancementParseException"/> or
    /// <see cref="FingerprintParseException"/> when a rule is malformed (validate on save, not on ingest).
    /// </summary>
    public static GroupingConfig ForProject(string? stackTraceRules, string? fingerprintRules) =>
        new(EnhancementRuleSet.WithProjectRules(stackTraceRules), FingerprintRuleSet.Parse(fingerprintRules));
}
