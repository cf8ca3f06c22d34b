namespace Grains.Monitoring.Grouping.Fingerprinting;

/// <summary>A server-side fingerprint rule could not be parsed.</summary>
public sealed class FingerprintParseException(int line, int column, string reason, string ruleText)
    : GroupingRuleParseException("fingerprint rule", line, column, reason, ruleText);
