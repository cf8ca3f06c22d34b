namespace Grains.Monitoring.Grouping;

/// <summary>A grouping rule (stack-trace or fingerprint) could not be parsed; carries the position and the reason.</summary>
public abstract class GroupingRuleParseException : FormatException
{
    /// <summary>Creates the exception for a 1-based line and column; <paramref name="ruleKind"/> names the grammar in the message.</summary>
    protected GroupingRuleParseException(string ruleKind, int line, int column, string reason, string ruleText)
        : base($"Invalid {ruleKind} at line {line}, column {column}: {reason} (in \"{ruleText}\")")
    {
        Line = line;
        Column = column;
        Reason = reason;
        RuleText = ruleText;
    }

    /// <summary>1-based line of the offending rule.</summary>
    public int Line { get; }

    /// <summary>1-based column where parsing failed.</summary>
    public int Column { get; }

    /// <summary>Short human-readable reason, without position.</summary>
    public string Reason { get; }

    /// <summary>The text of the offending line.</summary>
    public string RuleText { get; }
}
