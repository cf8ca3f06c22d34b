using System.Text.Json.Nodes;

namespace Grains.Monitoring.Grouping.Fingerprinting;

/// <summary>A server-side fingerprint rule: matchers (all must hold) → fingerprint values, optional title.</summary>
internal sealed class FingerprintRule
{
    public FingerprintRule(IReadOnlyList<FingerprintMatcher> matchers, IReadOnlyList<string> fingerprint, string? title, bool isBuiltIn)
    {
        Matchers = matchers;
        Fingerprint = fingerprint;
        Title = title;
        IsBuiltIn = isBuiltIn;
        var matcherGroups = new Dictionary<FingerprintMatchType, List<FingerprintMatcher>>();
        foreach (var matcher in matchers)
        {
            if (!matcherGroups.TryGetValue(matcher.MatchType, out var list))
            {
                list = new List<FingerprintMatcher>();
                matcherGroups[matcher.MatchType] = list;
            }

            list.Add(matcher);
        }

        MatchersByType = matcherGroups;
    }

    public IReadOnlyList<FingerprintMatcher> Matchers { get; }

    public IReadOnlyList<string> Fingerprint { get; }

    public string? Title { get; }

    public bool IsBuiltIn { get; }

    private Dictionary<FingerprintMatchType, List<FingerprintMatcher>> MatchersByType { get; }

    public string Text =>
        $"{string.Join(' ', Matchers.Select(m => m.Text))} -> \"{string.Concat(Fingerprint)}\"{(Title is null ? string.Empty : $" title=\"{Title}\"")}";

    /// <summary>For every kind of value the rule reads, some single entry must satisfy all its matchers of that kind.</summary>
    public bool IsMatch(FingerprintEventValues values)
    {
        foreach (var (type, matchers) in MatchersByType)
        {
            var matched = false;
            foreach (var entry in values.Get(type))
            {
                var all = true;
                foreach (var matcher in matchers)
                {
                    if (!matcher.IsMatch(entry))
                    {
                        all = false;
                        break;
                    }
                }

                if (all)
                {
                    matched = true;
                    break;
                }
            }

            if (!matched)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Sentry's <c>matched_rule</c> JSON as stored in <c>_fingerprint_info</c>.</summary>
    public JsonObject ToJson()
    {
        var matchers = new JsonArray();
        foreach (var matcher in Matchers)
        {
            matchers.Add(new JsonArray((matcher.Negated ? "!" : string.Empty) + matcher.Key, matcher.Pattern));
        }

        var attributes = new JsonObject();
        if (Title is not null)
        {
            attributes["title"] = Title;
        }

        var json = new JsonObject
        {
            ["attributes"] = attributes,
            ["fingerprint"] = new JsonArray(Fingerprint.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
        };
        if (IsBuiltIn)
        {
            json["is_builtin"] = true;
        }

        json["matchers"] = matchers;
        json["text"] = Text;
        return json;
    }
}
