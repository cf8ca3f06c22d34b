using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Grains.Monitoring.Grouping.Fingerprinting;

/// <summary>
/// Server-side fingerprint rules: project rules checked first, then the built-in rules of the grouping
/// config (<c>javascript@2024-02-02</c>: ChunkLoadError, React hydration errors). The first matching rule
/// replaces the event's fingerprint. Immutable and thread-safe.
/// </summary>
public sealed class FingerprintRuleSet
{
    /// <summary>Built-in rules shipped with Sentry's fingerprinting base <c>javascript@2024-02-02</c>.</summary>
    internal const string BuiltInRulesText = """
        family:javascript error.type:"ChunkLoadError" -> chunkloaderror
        family:javascript error.value:"ChunkLoadError*" -> chunkloaderror
        family:javascript tags.transaction:"*" message:"Hydration failed because the initial UI does not match what was rendered on the server." -> hydrationerror, {{tags.transaction}}
        family:javascript tags.transaction:"*" message:"The server could not finish this Suspense boundary, likely due to an error during server rendering. Switched to client rendering." -> hydrationerror, {{tags.transaction}}
        family:javascript tags.transaction:"*" message:"There was an error while hydrating this Suspense boundary. Switched to client rendering." -> hydrationerror, {{tags.transaction}}
        family:javascript tags.transaction:"*" message:"There was an error while hydrating. Because the error happened outside of a Suspense boundary, the entire root will switch to client rendering." -> hydrationerror, {{tags.transaction}}
        family:javascript tags.transaction:"*" message:"Text content does not match server-rendered HTML." -> hydrationerror, {{tags.transaction}}
        """;

    private static readonly IReadOnlyList<FingerprintRule> BuiltIn = FingerprintParser.Parse(BuiltInRulesText, isBuiltIn: true);
    private static readonly ConcurrentDictionary<string, FingerprintRuleSet> Cache = new(StringComparer.Ordinal);

    private readonly IReadOnlyList<FingerprintRule> _rules;

    private FingerprintRuleSet(IReadOnlyList<FingerprintRule> projectRules)
    {
        ProjectRuleCount = projectRules.Count;
        _rules = projectRules.Concat(BuiltIn).ToArray();
    }

    /// <summary>Only the built-in rules.</summary>
    public static FingerprintRuleSet Default { get; } = new(Array.Empty<FingerprintRule>());

    /// <summary>Number of project-defined rules (built-ins excluded).</summary>
    public int ProjectRuleCount { get; }

    /// <summary>Parses project rules in the text grammar (cached by text). Throws <see cref="FingerprintParseException"/>.</summary>
    public static FingerprintRuleSet Parse(string? rulesText)
    {
        if (string.IsNullOrWhiteSpace(rulesText))
        {
            return Default;
        }

        return Cache.GetOrAdd(rulesText, static text => new FingerprintRuleSet(FingerprintParser.Parse(text, isBuiltIn: false)));
    }

    /// <summary>
    /// Reads rules in Sentry's stored JSON shape: <c>[{"matchers":[["type","X"]],"fingerprint":["a"],"attributes":{"title":"…"}}]</c>.
    /// Throws <see cref="FingerprintParseException"/> (line = rule index + 1) on bad entries.
    /// </summary>
    public static FingerprintRuleSet FromJson(JsonArray rules)
    {
        var parsed = new List<FingerprintRule>();
        for (var i = 0; i < rules.Count; i++)
        {
            var text = rules[i]?.ToJsonString() ?? "null";
            if (rules[i] is not JsonObject rule || rule["matchers"] is not JsonArray matchers || rule["fingerprint"] is not JsonArray fingerprint)
            {
                throw new FingerprintParseException(i + 1, 1, "Expected an object with 'matchers' and 'fingerprint' arrays", text);
            }

            var parsedMatchers = new List<FingerprintMatcher>();
            foreach (var item in matchers)
            {
                if (item is not JsonArray { Count: 2 } pair || pair[0]?.GetValue<string>() is not { } rawKey || pair[1]?.GetValue<string>() is not { } pattern)
                {
                    throw new FingerprintParseException(i + 1, 1, "Each matcher must be a [key, pattern] pair", text);
                }

                var negated = rawKey.StartsWith('!');
                var matcher = FingerprintMatcher.TryCreate(rawKey.TrimStart('!'), pattern, negated, out var error)
                    ?? throw new FingerprintParseException(i + 1, 1, error!, text);
                parsedMatchers.Add(matcher);
            }

            var values = fingerprint.Select(v => v?.GetValue<string>() ?? string.Empty)
                .Select(v => FingerprintVariables.IsDefault(v) ? FingerprintVariables.DefaultMarker : v)
                .ToList();
            if (parsedMatchers.Count == 0 || values.Count == 0)
            {
                throw new FingerprintParseException(i + 1, 1, "A rule needs at least one matcher and one fingerprint value", text);
            }

            var title = (rule["attributes"] as JsonObject)?["title"]?.GetValue<string>();
            parsed.Add(new FingerprintRule(parsedMatchers, values, title, isBuiltIn: false));
        }

        return new FingerprintRuleSet(parsed);
    }

    internal FingerprintRule? FindMatch(FingerprintEventValues values)
    {
        foreach (var rule in _rules)
        {
            if (rule.IsMatch(values))
            {
                return rule;
            }
        }

        return null;
    }
}
