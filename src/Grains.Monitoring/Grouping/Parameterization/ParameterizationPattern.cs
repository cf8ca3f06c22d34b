namespace Grains.Monitoring.Grouping.Parameterization;

/// <summary>
/// One named alternative of the parameterization regex. The match is replaced by <c>&lt;Name&gt;</c>.
/// Patterns are written for <see cref="System.Text.RegularExpressions.RegexOptions.IgnorePatternWhitespace"/>
/// so the long ones can carry comments, as upstream does with Python's verbose mode.
/// </summary>
/// <param name="Name">Placeholder name, also the named group in the combined regex.</param>
/// <param name="Pattern">Regex body without the named group.</param>
/// <param name="Lookbehind">Optional positive lookbehind placed before the group (e.g. <c>=</c>).</param>
public sealed record ParameterizationPattern(string Name, string Pattern, string? Lookbehind = null);
