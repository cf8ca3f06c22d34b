using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Rules;

namespace Grains.Server.Dashboard.Alerts;

/// <summary>
/// A rule node being edited in the rule form: its Sentry id and the text of each field. It becomes the
/// node JSON the rules API takes (<see cref="ToJson"/>); the validator (<see cref="RuleValidator"/>)
/// decides whether it is valid, so the form has no rules of its own.
/// </summary>
public sealed class RuleNodeDraft
{
    /// <summary>A new node of kind <paramref name="id"/> with no fields filled in.</summary>
    public RuleNodeDraft(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        Id = id;
    }

    /// <summary>Sentry's node id (the class path).</summary>
    public string Id { get; }

    /// <summary>Field → text as typed or chosen (null or blank for not set).</summary>
    public Dictionary<string, string?> Values { get; } = new(StringComparer.Ordinal);

    // Properties of a stored node the form has no field for: sent back as they came.
    private readonly Dictionary<string, JsonNode?> _kept = new(StringComparer.Ordinal);

    /// <summary>The node's form fields (from the rule catalog).</summary>
    public IReadOnlyList<RuleNodeField> Fields => RuleNodeCatalog.Fields(Id);

    /// <summary>The node's prompt with <c>{field}</c> placeholders, or its id for a node the catalog does not know.</summary>
    public string Prompt => RuleNodeCatalog.Prompt(Id) ?? Id;

    /// <summary>A draft of a stored node (as the rules API returns it); its rendered <c>name</c> is not a field.</summary>
    public static RuleNodeDraft FromJson(JsonObject node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var id = node["id"] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : "";
        var draft = new RuleNodeDraft(id);
        var known = draft.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, field) in node)
        {
            if (name is "id" or "name")
            {
                continue;
            }

            if (!known.Contains(name))
            {
                draft._kept[name] = field?.DeepClone();
                continue;
            }

            draft.Values[name] = field switch
            {
                null => null,
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                _ => field.ToJsonString(),
            };
        }

        return draft;
    }

    /// <summary>
    /// The node as the rules API receives it: <c>id</c>, then the fields in the catalog's order, then any
    /// other property of the stored node as it came. Blank fields are left out; a whole-number or number field
    /// that parses is sent as a JSON number, anything else as the text typed (the validator then says why).
    /// </summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["id"] = Id };
        foreach (var field in Fields)
        {
            var name = field.Name;
            if (!Values.TryGetValue(name, out var text) || string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            json[name] = field.Kind switch
            {
                RuleNodeFieldKind.Integer when long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => JsonValue.Create(whole),
                RuleNodeFieldKind.Number when long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => JsonValue.Create(whole),
                RuleNodeFieldKind.Number when double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) => JsonValue.Create(number),
                _ => JsonValue.Create(text.Trim()),
            };
        }

        foreach (var (name, value) in _kept)
        {
            json[name] = value?.DeepClone();
        }

        return json;
    }
}
