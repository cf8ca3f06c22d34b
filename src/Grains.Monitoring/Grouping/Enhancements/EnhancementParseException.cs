namespace Grains.Monitoring.Grouping.Enhancements;

/// <summary>A stack-trace rule (enhancement) could not be parsed.</summary>
public sealed class EnhancementParseException(int line, int column, string reason, string ruleText)
    : GroupingRuleParseException("stack trace rule", line, column, reason, ruleText);
