namespace Grains.Monitoring.Grouping.Fingerprinting;

/// <summary>A server-side fingerprint rule could not be parsed; carries the position and the reason.</summary>
public sealed class FingerprintParseException : FormatException
{
    /// <summary>Creates the exception for a 1-based line and column.</summary>
    public FingerprintParseException(int line, int column, string reason, string ruleText)
        : base($"Invalid fingerprint rule at line {line}, column {column}: {reason} (in \"{ruleText}\")")
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
