using System.Text.Json.Nodes;

namespace Grains.Monitoring.Grouping;

/// <summary>
/// The outcome of grouping one event: every variant (contributing or not, with its tree and hints) and
/// the ordered, de-duplicated list of hashes to look up or link to the issue.
/// </summary>
public sealed class GroupingResult
{
    internal GroupingResult(string configId, IReadOnlyList<GroupingVariant> variants, IReadOnlyList<string> hashes, long? mainExceptionId, string? title)
    {
        ConfigId = configId;
        Variants = variants;
        Hashes = hashes;
        MainExceptionId = mainExceptionId;
        Title = title;
    }

    /// <summary>Grouping config that produced the hashes (store it with each hash).</summary>
    public string ConfigId { get; }

    /// <summary>
    /// The event as grouping parsed and classified it (stack-trace rules applied, in-app normalised),
    /// handed once to <see cref="EventMetadataDeriver.Derive"/> for the same JSON object and rule set so
    /// it need not parse and classify again. Taken (cleared) on first use so results don't retain it.
    /// </summary>
    private ClassifiedEvent? _classified;

    internal void AttachClassified(JsonObject source, Enhancements.EnhancementRuleSet rules, Model.GroupingEvent parsed) =>
        _classified = new ClassifiedEvent(source, rules, parsed);

    internal Model.GroupingEvent? TakeClassified(JsonObject source, Enhancements.EnhancementRuleSet rules)
    {
        var classified = Volatile.Read(ref _classified);
        if (classified is null || !ReferenceEquals(classified.Source, source) || !ReferenceEquals(classified.Rules, rules))
        {
            return null;
        }

        return Interlocked.CompareExchange(ref _classified, null, classified) == classified ? classified.Parsed : null;
    }

    private sealed record ClassifiedEvent(JsonObject Source, Enhancements.EnhancementRuleSet Rules, Model.GroupingEvent Parsed);

    /// <summary>All variants ordered by name.</summary>
    public IReadOnlyList<GroupingVariant> Variants { get; }

    /// <summary>Non-null variant hashes: names in alphabetical order, <c>system</c> last, duplicates dropped.</summary>
    public IReadOnlyList<string> Hashes { get; }

    /// <summary>Exception chosen by exception-group reduction to title the issue, if any.</summary>
    public long? MainExceptionId { get; }

    /// <summary>Title override from a matched fingerprint rule's <c>title=</c> attribute, if any.</summary>
    public string? Title { get; }

    /// <summary>Looks a variant up by name.</summary>
    public GroupingVariant? this[string name] => Variants.FirstOrDefault(v => v.Name == name);

    /// <summary>Sentry's <c>grouping-info</c> API shape: <c>{"grouping_config": id, "variants": {name: {...}}}</c>.</summary>
    public JsonObject ToJson()
    {
        var variants = new JsonObject();
        foreach (var variant in Variants)
        {
            variants[variant.Name] = variant.ToJson();
        }

        return new JsonObject
        {
            ["grouping_config"] = ConfigId,
            ["hashes"] = new JsonArray(Hashes.Select(h => (JsonNode?)JsonValue.Create(h)).ToArray()),
            ["variants"] = variants,
        };
    }
}
